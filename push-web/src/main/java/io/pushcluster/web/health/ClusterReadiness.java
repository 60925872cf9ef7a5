package io.pushcluster.web.health;

import io.pushcluster.engine.cluster.ClusterView;
import io.pushcluster.engine.cluster.Membership;
import io.pushcluster.engine.store.MessageStore;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import java.util.Optional;
import org.eclipse.microprofile.health.HealthCheck;
import org.eclipse.microprofile.health.HealthCheckResponse;
import org.eclipse.microprofile.health.HealthCheckResponseBuilder;
import org.eclipse.microprofile.health.Readiness;

/**
 * Ready unless this member cannot do its part in the cluster: it is not on the ring yet (see
 * {@link RingEntry}), another member has its name, or there are several members and the store keeps
 * messages per instance, so that a client moved to another member would not find what it missed.
 */
@Readiness
@ApplicationScoped
public class ClusterReadiness implements HealthCheck {

    @Inject
    Membership membership;

    @Inject
    MessageStore store;

    @Override
    public HealthCheckResponse call() {
        ClusterView view = membership.view();
        HealthCheckResponseBuilder response = HealthCheckResponse.named("cluster")
                .withData("self", membership.localCard().name())
                .withData("members", view.size());
        if (!membership.entered()) {
            return response.withData("error", "not on the ring yet: this member enters it once its application"
                    + " answers on its HTTP port and its store answers").down().build();
        }
        if (view.localNameTaken()) {
            return response.withData("error", "another member is named " + membership.localCard().name()
                    + "; give every member its own push.node.name").down().build();
        }
        if (view.size() > 1) {
            Optional<String> local;
            try {
                local = store.instanceLocal();
            } catch (RuntimeException e) {
                // the store's own check reports that it does not answer
                local = Optional.empty();
            }
            if (local.isPresent()) {
                return response.withData("error", "members cannot share stored messages: " + local.get()).down().build();
            }
        }
        return response.up().build();
    }
}
