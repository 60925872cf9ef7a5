package io.pushcluster.web.guard;

import jakarta.servlet.FilterChain;
import jakarta.servlet.ServletException;
import jakarta.servlet.annotation.WebFilter;
import jakarta.servlet.http.HttpFilter;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;

/**
 * Refuses, with 400 and the end of the connection, a request whose body length could be read two
 * ways (both {@code Content-Length} and {@code Transfer-Encoding}, or {@code Content-Length} more
 * than once): behind a proxy that reads it the other way, what follows it on the connection would
 * be taken for another request (RFC 9112 section 6.3).
 */
@WebFilter(urlPatterns = "/*", asyncSupported = true)
public class AmbiguousRequestFilter extends HttpFilter {

    private static final long serialVersionUID = 1L;

    @Override
    protected void doFilter(HttpServletRequest request, HttpServletResponse response, FilterChain chain)
            throws IOException, ServletException {
        if (ambiguousLength(request)) {
            response.setStatus(HttpServletResponse.SC_BAD_REQUEST);
            response.setHeader("Connection", "close");
            response.setContentType("text/plain;charset=utf-8");
            response.getWriter().write("ambiguous message length\n");
            return;
        }
        chain.doFilter(request, response);
    }

    static boolean ambiguousLength(HttpServletRequest request) {
        int lengths = 0;
        for (var values = request.getHeaders("Content-Length"); values.hasMoreElements(); values.nextElement()) {
            lengths++;
        }
        return lengths > 1 || lengths == 1 && request.getHeader("Transfer-Encoding") != null;
    }
}
