package io.pushcluster.engine.grid;

import com.hazelcast.core.HazelcastInstance;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.inject.Produces;
import java.util.logging.Logger;
import javax.naming.InitialContext;
import javax.naming.NamingException;

/**
 * The grid: Payara's own Hazelcast instance (never a second one), or a node alone when Payara runs
 * without Hazelcast ({@code --nohazelcast}, or the data grid disabled).
 */
@ApplicationScoped
public class GridProducer {

    private static final Logger LOG = Logger.getLogger(GridProducer.class.getName());
    static final String PAYARA_HAZELCAST = "payara/Hazelcast";

    @Produces
    @ApplicationScoped
    Grid grid() {
        HazelcastInstance hazelcast = payaraHazelcast();
        if (hazelcast == null) {
            LOG.info("Payara's data grid is disabled: this node runs alone and owns every key");
            return new SoloGrid();
        }
        LOG.info(() -> "joining the cluster over Payara's data grid as member "
                + hazelcast.getCluster().getLocalMember());
        return new HazelcastGrid(hazelcast);
    }

    private static HazelcastInstance payaraHazelcast() {
        try {
            Object found = new InitialContext().lookup(PAYARA_HAZELCAST);
            if (found instanceof HazelcastInstance instance && instance.getLifecycleService().isRunning()) {
                return instance;
            }
            return null;
        } catch (NamingException | RuntimeException e) {
            return null;
        }
    }
}
