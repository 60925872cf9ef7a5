package io.pushcluster.engine.subscribe;

import io.pushcluster.engine.auth.Tokens;
import io.pushcluster.engine.cluster.Membership;
import io.pushcluster.engine.config.PushSettings;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;

/** The checks a subscribe passes before its connection joins the hub, in gopush-cluster's order. */
@ApplicationScoped
public class SubscribeGate {

    private PushSettings settings;
    private Membership membership;
    private Tokens tokens;

    protected SubscribeGate() {
    }

    @Inject
    public SubscribeGate(PushSettings settings, Membership membership, Tokens tokens) {
        this.settings = settings;
        this.membership = membership;
        this.tokens = tokens;
    }

    /** Ownership, then tokens; {@link Admission#ACCEPTED} when the connection may be added. */
    public Admission check(SubscribeRequest request) {
        if (!membership.ownsLocally(request.key())) {
            return Admission.NOT_OWNER;
        }
        if (settings.auth()) {
            return switch (tokens.check(request.key(), request.token())) {
                case VALID -> Admission.ACCEPTED;
                case NO_TOKENS -> Admission.NO_TOKENS;
                case INVALID -> Admission.BAD_TOKEN;
            };
        }
        return Admission.ACCEPTED;
    }
}
