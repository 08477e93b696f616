package io.spillway.sample;

import java.util.Locale;

/**
 * The route Spillway took for a request, read from the request attribute
 * {@value #ATTRIBUTE} that the filter sets.
 *
 * @param kind   {@code BUFFERED}, {@code STREAMED}, or {@code NONE} when the request carried no facts
 * @param reason why, in words
 */
public record UploadRoute(String kind, String reason) {

    /** The request attribute holding the upload's facts (DESIGN.md, public contract). */
    public static final String ATTRIBUTE = "io.spillway.upload";

    private static final String[] KINDS = {"BUFFERED", "STREAMED", "REJECTED"};

    /**
     * Reads the facts the filter left on the request. Until the filter's facts type is settled,
     * this reads its text form, whose route kind comes first (as in {@code Route.toString()}:
     * {@code STREAMED: 3.0 GiB > 50% of 812 MiB available}).
     */
    public static UploadRoute of(Object facts) {
        if (facts == null) {
            return new UploadRoute("NONE", "the request carried no spillway facts");
        }
        String text = String.valueOf(facts);
        String upper = text.toUpperCase(Locale.ROOT);
        int best = -1;
        String kind = "UNKNOWN";
        for (String candidate : KINDS) {
            int at = upper.indexOf(candidate);
            if (at >= 0 && (best < 0 || at < best)) {
                best = at;
                kind = candidate;
            }
        }
        return new UploadRoute(kind, text);
    }
}
