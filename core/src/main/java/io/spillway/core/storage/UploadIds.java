package io.spillway.core.storage;

import java.util.regex.Pattern;

/**
 * Resumable upload ids: 128 random bits written as exactly 32 lowercase hex characters.
 *
 * <p>The server makes every id; an id a client sends back is only ever looked up after it passed
 * {@link #isValid}, so no client text ({@code ../x}, {@code %00}, 10 KB strings) reaches a path
 * or an object key.
 */
public final class UploadIds {

    private static final Pattern ID = Pattern.compile("[0-9a-f]{32}");

    private UploadIds() {
    }

    /** A new id from a cryptographically strong random source. */
    public static String newId() {
        return TempStorage.newId();
    }

    /** Whether the text has the exact shape of a server-issued id. */
    public static boolean isValid(String id) {
        return id != null && id.length() == 32 && ID.matcher(id).matches();
    }

    /**
     * Returns the id when it is valid.
     *
     * @throws IllegalArgumentException otherwise; the message never echoes the text
     */
    public static String requireValid(String id) {
        if (!isValid(id)) {
            throw new IllegalArgumentException("not a server-issued upload id");
        }
        return id;
    }
}
