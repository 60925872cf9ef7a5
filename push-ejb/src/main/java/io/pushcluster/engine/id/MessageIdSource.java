package io.pushcluster.engine.id;

import io.pushcluster.engine.store.MessageStore;
import jakarta.annotation.PostConstruct;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import java.util.logging.Level;
import java.util.logging.Logger;

/** The application's {@link MessageIds}, started past the largest mid already stored. */
@ApplicationScoped
public class MessageIdSource {

    private static final Logger LOG = Logger.getLogger(MessageIdSource.class.getName());

    private final MessageIds ids = MessageIds.systemClock();

    @Inject
    MessageStore store;

    @PostConstruct
    void startPastStoredIds() {
        try {
            ids.advancePast(store.maxMid());
        } catch (RuntimeException e) {
            LOG.log(Level.WARNING, "could not read the largest stored mid; ids start from the clock", e);
        }
    }

    /** Makes every later id larger than this one. */
    public void advancePast(long mid) {
        ids.advancePast(mid);
    }

    public long next() {
        return ids.next();
    }

    public long current() {
        return ids.current();
    }
}
