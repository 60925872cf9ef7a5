package io.pushcluster.web.rest;

import io.pushcluster.api.InvalidParameterException;
import io.pushcluster.api.PushFailedException;
import io.pushcluster.engine.message.JsonText;
import jakarta.ws.rs.core.Response;
import java.io.UncheckedIOException;
import java.util.function.Supplier;
import java.util.logging.Level;
import java.util.logging.Logger;

/**
 * Builds the JSON replies of PROTOCOL.md A.1: always HTTP 200, {@code {"data":...,"ret":N}} with keys
 * sorted, {@code "msg"} beside {@code ret} on legacy paths, wrapped as JSONP when a valid callback
 * name is given.
 */
final class Reply {

    private static final Logger LOG = Logger.getLogger(Reply.class.getName());
    private static final String JSON = "application/json;charset=utf-8";
    private static final String SCRIPT = "application/javascript;charset=utf-8";

    /** Whether {@code "msg"} is added beside {@code ret}. */
    enum Style { V1, LEGACY }

    private final Style style;
    private final String callback;

    private Reply(Style style, String callback) {
        this.style = style;
        this.callback = callback;
    }

    static Reply v1() {
        return new Reply(Style.V1, null);
    }

    static Reply v1(String callback) {
        return new Reply(Style.V1, callback);
    }

    static Reply legacy(String callback) {
        return new Reply(Style.LEGACY, callback);
    }

    /**
     * Runs the operation and replies with the data it returns (null for none), or with the ret code
     * of what it threw. A callback name that is not a plain identifier is a parameter error.
     */
    Response answer(Supplier<String> data) {
        return text(data).response();
    }

    /** As {@link #answer}, apart from how the reply is sent. */
    Answer text(Supplier<String> data) {
        if (callback != null && !isCallbackName(callback)) {
            return new Reply(style, null).errorText(Ret.PARAMETER);
        }
        try {
            return body(Ret.OK, data.get());
        } catch (InvalidParameterException e) {
            return errorText(Ret.PARAMETER);
        } catch (NoNodeException e) {
            return errorText(Ret.NO_NODE);
        } catch (PushFailedException e) {
            return errorText(Ret.INTERNAL);
        } catch (UncheckedIOException e) {
            // the client's body ended before its Content-Length, or its connection broke: its mistake
            LOG.log(Level.FINE, "a request body could not be read", e);
            return errorText(Ret.PARAMETER);
        } catch (RuntimeException e) {
            LOG.log(Level.WARNING, "request failed", e);
            return errorText(Ret.INTERNAL);
        }
    }

    Response error(int ret) {
        return errorText(ret).response();
    }

    Answer errorText(int ret) {
        return body(ret, null);
    }

    private Answer body(int ret, String data) {
        StringBuilder json = new StringBuilder(64 + (data == null ? 0 : data.length())).append('{');
        if (data != null && ret == Ret.OK) {
            json.append("\"data\":").append(data).append(',');
        }
        if (style == Style.LEGACY) {
            json.append("\"msg\":");
            JsonText.appendQuoted(json, Ret.legacyText(ret)).append(',');
        }
        json.append("\"ret\":").append(ret).append('}');
        if (callback == null) {
            return new Answer(JSON, json.toString());
        }
        return new Answer(SCRIPT, callback + "(" + json + ")");
    }

    /** Letters, digits, {@code _}, {@code $} and dots between names, not starting with a digit. */
    static boolean isCallbackName(String name) {
        if (name.isEmpty() || name.length() > 128) {
            return false;
        }
        char head = name.charAt(0);
        if (Character.isDigit(head) || head == '.' || name.endsWith(".") || name.contains("..")) {
            return false;
        }
        for (int i = 0; i < name.length(); i++) {
            char c = name.charAt(i);
            boolean plain = (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9')
                    || c == '_' || c == '$' || c == '.';
            if (!plain) {
                return false;
            }
        }
        return true;
    }
}
