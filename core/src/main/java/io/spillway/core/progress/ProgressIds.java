package io.spillway.core.progress;

import io.spillway.core.storage.TempStorage;
import java.util.regex.Pattern;

/**
 * Progress ids: the server makes them from 128 random bits; a browser may pick its own so that it
 * can poll while the upload runs, as long as it is 1 to {@value #MAX_LENGTH} characters of
 * {@code [A-Za-z0-9_-]} (anything else is ignored and a server id used instead).
 */
public final class ProgressIds {

    /** The longest id a client may pick. */
    public static final int MAX_LENGTH = 64;

    private static final Pattern VALID = Pattern.compile("[A-Za-z0-9_-]{1," + MAX_LENGTH + "}");

    private ProgressIds() {
    }

    /** Whether a client-picked id is acceptable. */
    public static boolean isValid(String id) {
        return id != null && id.length() <= MAX_LENGTH && VALID.matcher(id).matches();
    }

    /** A new server-made id: 32 hex characters. */
    public static String newId() {
        return TempStorage.newId();
    }
}
