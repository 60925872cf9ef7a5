package io.pushcluster.engine.subscribe;

import io.pushcluster.engine.auth.Tokens;
import io.pushcluster.engine.cluster.AccessControls;
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
    private AccessControls access;

    protected SubscribeGate() {
    }

    @Inject
    public SubscribeGate(PushSettings settings, Membership membership, Tokens tokens, AccessControls access) {
        this.settings = settings;
        this.membership = membership;
        this.tokens = tokens;
        this.access = access;
    }

    /**
     * A ban (on every member alike, so that a banned client is not sent on to the owner), then
     * ownership, then tokens; {@link Admission#ACCEPTED} when the connection may be added.
     */
    public Admission check(SubscribeRequest request) {
        if (access.isBanned(request.key())) {
            return Admission.BANNED;
        }
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
