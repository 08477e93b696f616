package io.spillway.servlet;

import io.spillway.core.UploadRejectedException;
import io.spillway.core.multipart.MalformedMultipartException;
import io.spillway.core.multipart.MultipartLimits;
import io.spillway.core.multipart.MultipartParser;
import io.spillway.core.multipart.MultipartReader;
import io.spillway.core.multipart.PartHeaders;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import org.apache.commons.fileupload2.core.FileUploadSizeException;
import org.apache.commons.fileupload2.core.MultipartInput;

/**
 * The multipart parser backed by Commons FileUpload2's {@link MultipartInput}. The only class that
 * touches FileUpload2, so that its renamed setters (M5) stay in one place.
 */
public final class FileUpload2Parser implements MultipartParser {

    private static final int BUFFER_SIZE = 64 * 1024;

    @Override
    public MultipartReader open(InputStream body, byte[] boundary, MultipartLimits limits) throws IOException {
        try {
            MultipartInput input = MultipartInput.builder()
                    .setInputStream(body)
                    .setBoundary(boundary)
                    .setBufferSize(BUFFER_SIZE)
                    .setPartHeaderSizeMax(limits.maxPartHeaderSize())
                    .get();
            input.setHeaderCharset(StandardCharsets.UTF_8);
            return new Reader(input, limits);
        } catch (IllegalArgumentException e) {
            throw new MalformedMultipartException("invalid multipart boundary", e);
        }
    }

    private static final class Reader implements MultipartReader {
        private final MultipartInput input;
        private final MultipartLimits limits;
        private MultipartInput.ItemInputStream content;
        private boolean started;
        private boolean done;

        Reader(MultipartInput input, MultipartLimits limits) {
            this.input = input;
            this.limits = limits;
        }

        @Override
        public PartHeaders nextPart() throws IOException {
            if (done) {
                return null;
            }
            try {
                boolean more;
                if (!started) {
                    started = true;
                    more = input.skipPreamble();
                } else {
                    content.close();
                    more = input.readBoundary();
                }
                if (!more) {
                    done = true;
                    return null;
                }
                PartHeaders headers = PartHeaders.parse(input.readHeaders());
                content = input.newInputStream();
                return headers;
            } catch (FileUploadSizeException e) {
                throw UploadRejectedException.tooLarge("part headers exceed maxPartHeaderSize " + limits.maxPartHeaderSize());
            } catch (MultipartInput.MalformedStreamException e) {
                throw new MalformedMultipartException("malformed multipart body", e);
            }
        }

        @Override
        public InputStream content() {
            return new InputStream() {
                @Override
                public int read() throws IOException {
                    try {
                        return content.read();
                    } catch (MultipartInput.MalformedStreamException e) {
                        throw new MalformedMultipartException("multipart body ended before its closing boundary", e);
                    }
                }

                @Override
                public int read(byte[] b, int off, int len) throws IOException {
                    try {
                        return content.read(b, off, len);
                    } catch (MultipartInput.MalformedStreamException e) {
                        throw new MalformedMultipartException("multipart body ended before its closing boundary", e);
                    }
                }
            };
        }
    }
}
