package io.pushcluster.web.rest;

import jakarta.ws.rs.core.Response;
import jakarta.ws.rs.ext.ExceptionMapper;
import jakarta.ws.rs.ext.Provider;
import java.util.logging.Level;
import java.util.logging.Logger;

/** Anything not answered otherwise: logged here, and ret 65535 to the caller without details. */
@Provider
public class UnexpectedErrors implements ExceptionMapper<RuntimeException> {

    private static final Logger LOG = Logger.getLogger(UnexpectedErrors.class.getName());

    @Override
    public Response toResponse(RuntimeException exception) {
        LOG.log(Level.WARNING, "unexpected error", exception);
        return Reply.v1().error(Ret.INTERNAL);
    }
}
