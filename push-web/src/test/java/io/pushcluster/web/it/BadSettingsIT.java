package io.pushcluster.web.it;

import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * A setting of the address rules or the session controls that cannot be read stops the deployment
 * with a message naming it: the server never runs open, or with a rule other than the one written.
 */
class BadSettingsIT {

    @Test
    void aBadAddressBlockOrSessionSettingStopsTheDeploymentNamingIt() {
        Map<String, String> bad = Map.of("push.ip.deny", "10.0.0.0/8,not-a-block",
                "push.subscribers.on-excess", "kick-everyone");
        for (Map.Entry<String, String> setting : bad.entrySet()) {
            MicroCluster node = MicroCluster.of(1).with(setting.getKey(), setting.getValue());
            AssertionError failed = assertThrows(AssertionError.class, node::start);
            assertTrue(failed.getMessage().contains("failed to deploy"), failed.getMessage());
            String log = node.member("m1").log();
            assertTrue(log.contains(setting.getKey()) && log.contains(setting.getValue().replaceAll(".*,", "")),
                    "the log names the setting and the value: " + setting);
        }
    }
}
