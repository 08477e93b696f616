package io.spillway.servlet.resumable;

import io.spillway.core.UploadRejectedException;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.Locale;
import java.util.regex.Pattern;

/** Small parsers and formatters for the request and response headers of both protocols. */
final class Headers {

    private static final Pattern DIGITS = Pattern.compile("\\d{1,18}");
    private static final Pattern TOKEN = Pattern.compile("[A-Za-z0-9!#$%&'*+.^_`|~\\[\\]-]{1,100}");
    private static final Pattern MEDIA_TYPE = Pattern.compile("[A-Za-z0-9][A-Za-z0-9!#$&^_.+-]{0,62}/"
            + "[A-Za-z0-9][A-Za-z0-9!#$&^_.+-]{0,62}");
    private static final DateTimeFormatter HTTP_DATE =
            DateTimeFormatter.ofPattern("EEE, dd MMM yyyy HH:mm:ss 'GMT'", Locale.US).withZone(ZoneOffset.UTC);

    /** The content type of a file nobody described. */
    static final String OCTET_STREAM = "application/octet-stream";
    /** The field name of the assembled Part when the client names none. */
    static final String DEFAULT_FIELD = "file";

    private Headers() {
    }

    /**
     * A non-negative decimal header value.
     *
     * @throws UploadRejectedException 400 when it is not one
     */
    static long number(String name, String value) throws UploadRejectedException {
        if (value == null || !DIGITS.matcher(value.strip()).matches()) {
            throw UploadRejectedException.badRequest(name + " must be a non-negative integer");
        }
        return Long.parseLong(value.strip());
    }

    /** An IMF-fixdate (RFC 9110), as {@code Upload-Expires} needs it. */
    static String httpDate(Instant instant) {
        return HTTP_DATE.format(instant);
    }

    /** The field name a client asked for, when it is a plain token; otherwise the default. */
    static String fieldName(String requested) {
        return requested != null && TOKEN.matcher(requested).matches() ? requested : DEFAULT_FIELD;
    }

    /** The media type without parameters, when it looks like one; otherwise octet-stream. */
    static String mediaType(String declared) {
        if (declared == null) {
            return OCTET_STREAM;
        }
        int semicolon = declared.indexOf(';');
        String type = (semicolon < 0 ? declared : declared.substring(0, semicolon)).strip();
        return MEDIA_TYPE.matcher(type).matches() ? type.toLowerCase(Locale.ROOT) : OCTET_STREAM;
    }

    /** Whether a content type is multipart. */
    static boolean isMultipart(String contentType) {
        return contentType != null && contentType.regionMatches(true, 0, "multipart/", 0, "multipart/".length());
    }
}
