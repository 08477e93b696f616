package io.spillway.core.multipart;

import java.io.IOException;
import java.io.InputStream;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/** One part as a parser delivered it: its headers and every content byte. */
record ParsedPart(PartHeaders headers, byte[] content) {

    /** Reads every part to the end with bulk reads. */
    static List<ParsedPart> readAll(MultipartReader reader) throws IOException {
        List<ParsedPart> parts = new ArrayList<>();
        for (PartHeaders h = reader.nextPart(); h != null; h = reader.nextPart()) {
            parts.add(new ParsedPart(h, reader.content().readAllBytes()));
        }
        return parts;
    }

    /** Reads every part of a body through the fast parser. */
    static List<ParsedPart> parse(byte[] body, String boundary) throws IOException {
        return parse(new java.io.ByteArrayInputStream(body), boundary, 512);
    }

    static List<ParsedPart> parse(InputStream body, String boundary, int maxHeaderSize) throws IOException {
        return readAll(new FastMultipartParser().open(body, MultipartBody.ascii(boundary),
                new MultipartLimits(maxHeaderSize)));
    }

    /** Headers as an ordered name to values map, for comparisons. */
    Map<String, List<String>> headerMap() {
        return headerMap(headers);
    }

    static Map<String, List<String>> headerMap(PartHeaders headers) {
        Map<String, List<String>> map = new java.util.LinkedHashMap<>();
        for (String name : headers.names()) {
            map.put(name, headers.all(name));
        }
        return map;
    }

    String text() {
        return new String(content, java.nio.charset.StandardCharsets.UTF_8);
    }
}
