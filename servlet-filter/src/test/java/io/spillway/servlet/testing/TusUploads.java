package io.spillway.servlet.testing;

import io.tus.java.client.ProtocolException;
import io.tus.java.client.TusClient;
import io.tus.java.client.TusURLStore;
import io.tus.java.client.TusUpload;
import io.tus.java.client.TusUploader;
import java.io.IOException;
import java.net.MalformedURLException;
import java.net.URI;
import java.util.Map;

/**
 * What tus-java-client uploads in the tests (a generated file, with a name and type as tus
 * metadata), the client that uploads it, and the way the tests drive that client.
 */
public final class TusUploads {

    private static final int CHUNK_SIZE = 256 << 10;

    private TusUploads() {
    }

    /**
     * {@code size} bytes of {@link GeneratedStream} {@code seed}, fingerprinted by seed and size so
     * that a fresh client finds the same upload again.
     */
    public static TusUpload generated(long seed, long size, String fileName, String fileType) {
        TusUpload upload = new TusUpload();
        upload.setSize(size);
        upload.setInputStream(new GeneratedStream(seed, size));
        upload.setFingerprint("generated-" + seed + "-" + size);
        upload.setMetadata(Map.of("filename", fileName, "filetype", fileType));
        return upload;
    }

    /** A client that creates its uploads at {@code /upload} on 127.0.0.1:{@code port}. */
    public static TusClient clientAt(int port) throws MalformedURLException {
        TusClient client = new TusClient();
        client.setUploadCreationURL(URI.create("http://127.0.0.1:" + port + "/upload").toURL());
        return client;
    }

    /** A client at {@code port} (see {@link #clientAt}) that keeps and resumes its uploads' URLs in {@code urls}. */
    public static TusClient resumingClientAt(int port, TusURLStore urls) throws MalformedURLException {
        TusClient client = clientAt(port);
        client.enableResuming(urls);
        return client;
    }

    /**
     * Sends the rest of the upload in chunks of 256 KiB, in requests of {@code requestPayloadSize}
     * bytes, and finishes it.
     *
     * @return the offset reached
     */
    public static long sendRest(TusUploader uploader, int requestPayloadSize) throws IOException, ProtocolException {
        uploader.setChunkSize(CHUNK_SIZE);
        uploader.setRequestPayloadSize(requestPayloadSize);
        while (uploader.uploadChunk() > -1) {
            // the client splits the upload into requests of requestPayloadSize bytes
        }
        uploader.finish();
        return uploader.getOffset();
    }
}
