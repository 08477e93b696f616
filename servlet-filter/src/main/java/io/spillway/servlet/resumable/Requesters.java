package io.spillway.servlet.resumable;

import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpSession;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;

/**
 * Who is asking, as digests that are stored in upload state instead of names: the owner (the
 * authenticated user, so that another user's upload id answers 404) and the scope in which a
 * file may be found again by name and total (the user, else the HTTP session, else none).
 */
final class Requesters {

    private Requesters() {
    }

    /** Digest of the authenticated user, or null for an anonymous request. */
    static String owner(HttpServletRequest request) {
        String user = request.getRemoteUser();
        return user == null ? null : digest("user\n" + user);
    }

    /**
     * Digest of (scope, file name, total) for resuming by name, or null when the request has no
     * scope (anonymous and without a session): names are never shared between strangers.
     */
    static String resumeKey(HttpServletRequest request, String fileName, long total) {
        String scope;
        String user = request.getRemoteUser();
        if (user != null) {
            scope = "user\n" + user;
        } else {
            HttpSession session = request.getSession(false);
            if (session == null) {
                return null;
            }
            scope = "session\n" + session.getId();
        }
        return digest(scope + "\n" + fileName + "\n" + total);
    }

    private static String digest(String text) {
        try {
            byte[] hash = MessageDigest.getInstance("SHA-256").digest(text.getBytes(StandardCharsets.UTF_8));
            return HexFormat.of().formatHex(hash);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is missing from this JVM", e);
        }
    }
}
