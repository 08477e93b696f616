package io.spillway.servlet;

import io.spillway.core.upload.ReceivedPart;
import jakarta.servlet.http.Part;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.Charset;
import java.nio.file.Path;
import java.util.Collection;
import java.util.List;

/**
 * A {@link Part} over bytes Spillway stored, in memory or in a temp file. Behaves like Tomcat's
 * own part: {@link #write(String)} moves the file (a relative name resolves against the temp
 * directory, as Tomcat resolves it against its multipart location), {@link #delete()} removes it.
 */
final class SpillwayPart implements Part {

    private final ReceivedPart part;
    private final Path location;

    SpillwayPart(ReceivedPart part, Path location) {
        this.part = part;
        this.location = location;
    }

    ReceivedPart received() {
        return part;
    }

    @Override
    public InputStream getInputStream() throws IOException {
        return part.content().open();
    }

    @Override
    public String getContentType() {
        return part.contentType();
    }

    @Override
    public String getName() {
        return part.name();
    }

    @Override
    public String getSubmittedFileName() {
        return part.fileName();
    }

    @Override
    public long getSize() {
        return part.size();
    }

    @Override
    public void write(String fileName) throws IOException {
        Path target = Path.of(fileName);
        if (!target.isAbsolute()) {
            target = location.resolve(target);
        }
        part.content().moveTo(target);
    }

    @Override
    public void delete() throws IOException {
        part.content().release();
    }

    @Override
    public String getHeader(String name) {
        return part.headers().first(name);
    }

    @Override
    public Collection<String> getHeaders(String name) {
        return part.headers().all(name);
    }

    @Override
    public Collection<String> getHeaderNames() {
        return List.copyOf(part.headers().names());
    }

    /** The content decoded as text, for form fields. */
    String text(Charset charset) throws IOException {
        return new String(part.content().bytes(), charset);
    }

    @Override
    public String toString() {
        return "Part[" + part.name() + (part.isFile() ? ", file " + part.fileName() : "") + ", " + part.size() + " bytes]";
    }
}
