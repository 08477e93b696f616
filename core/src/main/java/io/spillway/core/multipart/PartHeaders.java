package io.spillway.core.multipart;

import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * The headers of one part, names case-insensitive, in the order they came.
 */
public final class PartHeaders {

    private final Map<String, List<String>> values;
    private final ContentDisposition disposition;

    private PartHeaders(Map<String, List<String>> values) throws MalformedMultipartException {
        this.values = values;
        this.disposition = ContentDisposition.parse(first("content-disposition"));
    }

    /** Builds headers from name and value pairs already split. */
    public static PartHeaders of(List<Map.Entry<String, String>> entries) throws MalformedMultipartException {
        Map<String, List<String>> values = new LinkedHashMap<>();
        for (Map.Entry<String, String> e : entries) {
            String name = e.getKey().trim().toLowerCase(Locale.ROOT);
            if (name.isEmpty() || !isToken(name)) {
                throw new MalformedMultipartException("malformed part header name");
            }
            values.computeIfAbsent(name, k -> new ArrayList<>()).add(e.getValue().trim());
        }
        return new PartHeaders(values);
    }

    /**
     * Parses a header block: lines separated by CRLF (a bare LF is tolerated, as browsers and
     * FileUpload2 do), each {@code Name: value}; continuation lines are folded.
     */
    public static PartHeaders parse(String block) throws MalformedMultipartException {
        List<Map.Entry<String, String>> entries = new ArrayList<>();
        for (String line : block.split("\r?\n")) {
            if (line.isEmpty()) {
                continue;
            }
            if ((line.charAt(0) == ' ' || line.charAt(0) == '\t') && !entries.isEmpty()) {
                Map.Entry<String, String> last = entries.remove(entries.size() - 1);
                entries.add(Map.entry(last.getKey(), last.getValue() + " " + line.trim()));
                continue;
            }
            int colon = line.indexOf(':');
            if (colon <= 0) {
                throw new MalformedMultipartException("malformed part header line");
            }
            entries.add(Map.entry(line.substring(0, colon), line.substring(colon + 1)));
        }
        return of(entries);
    }

    private static boolean isToken(String name) {
        for (int i = 0; i < name.length(); i++) {
            char c = name.charAt(i);
            if (c <= 32 || c >= 127 || "()<>@,;:\\\"/[]?={}".indexOf(c) >= 0) {
                return false;
            }
        }
        return true;
    }

    /** The first value of a header, or null. */
    public String first(String name) {
        List<String> list = values.get(name.toLowerCase(Locale.ROOT));
        return list == null || list.isEmpty() ? null : list.get(0);
    }

    /** Every value of a header, possibly empty. */
    public List<String> all(String name) {
        return Collections.unmodifiableList(values.getOrDefault(name.toLowerCase(Locale.ROOT), List.of()));
    }

    /** Header names, lower case, in order. */
    public List<String> names() {
        return List.copyOf(values.keySet());
    }

    /** The parsed Content-Disposition, never null (empty when the header is missing). */
    public ContentDisposition disposition() {
        return disposition;
    }

    /** The part's Content-Type, or null. */
    public String contentType() {
        return first("content-type");
    }
}
