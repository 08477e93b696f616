package io.spillway.core.upload;

import static io.spillway.core.config.Sizes.format;

import io.spillway.core.UploadRejectedException;
import io.spillway.core.config.SpillwayConfig;
import io.spillway.core.multipart.MalformedMultipartException;
import io.spillway.core.multipart.MultipartLimits;
import io.spillway.core.multipart.MultipartParser;
import io.spillway.core.multipart.MultipartReader;
import io.spillway.core.multipart.PartHeaders;
import io.spillway.core.storage.FileNames;
import io.spillway.core.storage.TempStorage;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * Reads a multipart body into stored parts along a route, counting limits on real bytes.
 *
 * <p>Every part keeps up to {@value #INLINE_BYTES} bytes in memory outside the budget, so small
 * form fields never touch the disk; beyond that, bytes stay in memory only within the request's
 * memory allowance (its budget reservation) and spill to the {@link SpillTarget} (a temp file by
 * default, or an object store) once that is used up. A
 * STREAMED route has an allowance of 0, a BUFFERED route of known length an allowance of the whole
 * body, so it never spills.
 *
 * <p>Limits: {@code maxRequestSize} on the body's real bytes (the epilogue after the closing
 * delimiter is read and counted too, so a body of unknown length fails at limit + 1 byte), {@code maxParts} with nested
 * {@code multipart/mixed} parts counted, {@code maxFileSize} per file, {@code maxFieldSize} per
 * plain field, the part-header limit in the parser. On any failure every part stored so far is
 * deleted before the exception leaves.
 */
public final class MultipartReceiver {

    /** Bytes of each part kept in memory outside the budget. */
    public static final int INLINE_BYTES = 8 * 1024;

    private final MultipartParser parser;
    private final SpillwayConfig config;
    private final SpillTarget spills;
    private final String digestAlgorithm;

    /**
     * A receiver that spills parts to temp files in {@code storage}.
     *
     * @param digestAlgorithm a {@link MessageDigest} algorithm computed over every part, or null
     */
    public MultipartReceiver(MultipartParser parser, SpillwayConfig config, TempStorage storage, String digestAlgorithm) {
        this(parser, config, SpillTarget.tempFiles(storage), digestAlgorithm);
    }

    /**
     * A receiver that spills parts to {@code spills}.
     *
     * @param digestAlgorithm a {@link MessageDigest} algorithm computed over every part, or null
     */
    public MultipartReceiver(MultipartParser parser, SpillwayConfig config, SpillTarget spills, String digestAlgorithm) {
        this.parser = parser;
        this.config = config;
        this.spills = spills;
        this.digestAlgorithm = digestAlgorithm;
    }

    /**
     * Receives every part of a body.
     *
     * @param body            the request body; read to its end (the epilogue is discarded)
     * @param boundary        the boundary from the Content-Type
     * @param memoryAllowance bytes this request may hold in memory beyond the inline bytes
     * @param diskGuard       checks free space while parts are written to local disk
     */
    public List<ReceivedPart> receive(InputStream body, byte[] boundary, long memoryAllowance, DiskGuard diskGuard)
            throws IOException {
        Session session = new Session(new MemoryAllowance(memoryAllowance), diskGuard);
        try {
            InputStream counted = new LimitedInputStream(body, config.maxRequestSize());
            session.readAll(counted, boundary, null, 0);
            counted.transferTo(OutputStream.nullOutputStream());
            return session.parts;
        } catch (UploadRejectedException e) {
            session.discard();
            throw e;
        } catch (IOException | RuntimeException | Error e) {
            session.discard();
            if (e instanceof RuntimeException) {
                throw new MalformedMultipartException("malformed multipart body", e);
            }
            throw e;
        }
    }

    /** Extracts the {@code boundary} parameter of a multipart content type, or null. */
    public static byte[] boundaryOf(String contentType) {
        if (contentType == null) {
            return null;
        }
        String boundary = null;
        for (String param : contentType.split(";")) {
            int eq = param.indexOf('=');
            if (eq > 0 && param.substring(0, eq).trim().equalsIgnoreCase("boundary")) {
                if (boundary != null) {
                    return null;
                }
                boundary = param.substring(eq + 1).trim();
                if (boundary.length() >= 2 && boundary.startsWith("\"") && boundary.endsWith("\"")) {
                    boundary = boundary.substring(1, boundary.length() - 1);
                }
            }
        }
        if (boundary == null || boundary.isEmpty() || boundary.length() > 70) {
            return null;
        }
        return boundary.getBytes(StandardCharsets.ISO_8859_1);
    }

    private final class Session {
        private final List<ReceivedPart> parts = new ArrayList<>();
        private final MemoryAllowance allowance;
        private final DiskGuard diskGuard;
        private int partCount;
        private SpillingSink open;

        Session(MemoryAllowance allowance, DiskGuard diskGuard) {
            this.allowance = allowance;
            this.diskGuard = diskGuard;
        }

        void readAll(InputStream in, byte[] boundary, String outerName, int depth) throws IOException {
            MultipartReader reader = parser.open(in, boundary, new MultipartLimits(config.maxPartHeaderSize()));
            PartHeaders headers;
            while ((headers = reader.nextPart()) != null) {
                if (++partCount > config.maxParts()) {
                    throw UploadRejectedException.tooLarge("more than maxParts " + config.maxParts() + " parts");
                }
                String name = outerName != null ? outerName : headers.disposition().name();
                if (name == null) {
                    throw new MalformedMultipartException("part without a Content-Disposition name");
                }
                String type = headers.contentType();
                if (type != null && type.toLowerCase(Locale.ROOT).startsWith("multipart/mixed")) {
                    readNested(reader.content(), type, name, depth);
                } else {
                    parts.add(store(reader.content(), headers, name, outerName != null));
                }
            }
        }

        private void readNested(InputStream content, String type, String name, int depth) throws IOException {
            if (depth > 0) {
                throw new MalformedMultipartException("multipart/mixed nested more than one level");
            }
            byte[] nested = boundaryOf(type);
            if (nested == null) {
                throw new MalformedMultipartException("nested multipart/mixed part without a valid boundary");
            }
            readAll(content, nested, name, depth + 1);
        }

        private ReceivedPart store(InputStream content, PartHeaders headers, String name, boolean nested)
                throws IOException {
            String rawFileName = headers.disposition().fileName();
            boolean isFile = rawFileName != null || nested;
            long limit = isFile ? config.maxFileSize() : config.maxFieldSize();
            open = new SpillingSink(spills, allowance, INLINE_BYTES, newDigest(), diskGuard);
            content.transferTo(new SinkStream(open, limit, isFile, name));
            String digest = open.digestHex();
            PartContent stored = open.finish();
            open = null;
            String fileName = !isFile ? null : rawFileName == null || rawFileName.isEmpty() ? "" : FileNames.sanitize(rawFileName);
            return new ReceivedPart(name, fileName, headers.contentType(), headers, stored, digest);
        }

        private MessageDigest newDigest() {
            if (digestAlgorithm == null) {
                return null;
            }
            try {
                return MessageDigest.getInstance(digestAlgorithm);
            } catch (NoSuchAlgorithmException e) {
                throw new IllegalStateException(e);
            }
        }

        void discard() {
            if (open != null) {
                open.close();
            }
            parts.forEach(p -> p.content().release());
            parts.clear();
        }
    }

    /**
     * The sink of one part as a stream, so that a parser can hand over its spans without another
     * copy; refuses the write that would take the part past its limit.
     */
    private final class SinkStream extends OutputStream {
        private final SpillingSink sink;
        private final long limit;
        private final boolean isFile;
        private final String name;

        SinkStream(SpillingSink sink, long limit, boolean isFile, String name) {
            this.sink = sink;
            this.limit = limit;
            this.isFile = isFile;
            this.name = name;
        }

        @Override
        public void write(int b) throws IOException {
            write(new byte[] {(byte) b}, 0, 1);
        }

        @Override
        public void write(byte[] b, int off, int len) throws IOException {
            if (sink.size() + len > limit) {
                throw UploadRejectedException.tooLarge(isFile
                        ? "file in part '" + printable(name) + "' exceeds maxFileSize " + format(config.maxFileSize())
                        : "field '" + printable(name) + "' exceeds maxFieldSize " + format(config.maxFieldSize()));
            }
            sink.write(b, off, len);
        }
    }

    /** A field name made safe for a one-line message. */
    static String printable(String text) {
        String cleaned = text.replaceAll("[^\\x20-\\x7e]", "?");
        return cleaned.length() > 64 ? cleaned.substring(0, 64) + "..." : cleaned;
    }
}
