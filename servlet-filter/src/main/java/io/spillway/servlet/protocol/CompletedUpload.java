package io.spillway.servlet.protocol;

import io.spillway.core.multipart.PartHeaders;
import io.spillway.core.upload.PartContent;
import io.spillway.core.upload.ReceivedPart;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * A file that a resumable protocol has fully assembled on disk, ready to go down the filter chain
 * as one ordinary {@code Part}.
 *
 * @param uploadId    the protocol's upload id (also the progress id)
 * @param fieldName   the name of the {@code Part} the application receives
 * @param fileName    the sanitized file name (metadata only)
 * @param contentType the declared content type, or {@code application/octet-stream}
 * @param file        the assembled bytes; the filter deletes this file after the chain returns
 *                    unless the application moved it with {@code Part.write}
 * @param size        the file's size in bytes
 * @param fields      plain form fields that came with the completing request
 * @param afterChain  run by the filter once the chain has returned (or failed), on every path:
 *                    deletes the session state and whatever else the protocol kept
 */
public record CompletedUpload(String uploadId, String fieldName, String fileName, String contentType,
                              Path file, long size, Map<String, List<String>> fields, Runnable afterChain) {

    /**
     * The parts the application receives: the file, with the headers a browser would have sent
     * for it, then each form field.
     */
    public List<ReceivedPart> toParts() throws IOException {
        List<ReceivedPart> parts = new ArrayList<>();
        parts.add(filePart());
        for (Map.Entry<String, List<String>> field : fields.entrySet()) {
            for (String value : field.getValue()) {
                parts.add(fieldPart(field.getKey(), value));
            }
        }
        return parts;
    }

    private ReceivedPart filePart() throws IOException {
        String disposition = "form-data; name=\"" + quoted(fieldName) + "\"; filename=\"" + quoted(fileName) + "\"";
        PartHeaders headers = PartHeaders.of(List.of(Map.entry("Content-Disposition", disposition),
                Map.entry("Content-Type", contentType)));
        return new ReceivedPart(fieldName, fileName, contentType, headers, PartContent.ofFile(file, size), null);
    }

    private static ReceivedPart fieldPart(String name, String value) throws IOException {
        PartHeaders headers = PartHeaders.of(List.of(Map.entry("Content-Disposition",
                "form-data; name=\"" + quoted(name) + "\"")));
        return new ReceivedPart(name, null, null, headers, PartContent.ofBytes(value.getBytes(StandardCharsets.UTF_8)),
                null);
    }

    private static String quoted(String text) {
        return text.replace("\\", "\\\\").replace("\"", "\\\"").replaceAll("[\\r\\n]", "");
    }
}
