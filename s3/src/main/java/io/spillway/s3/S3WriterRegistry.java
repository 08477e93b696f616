package io.spillway.s3;

import io.spillway.core.storage.UploadIds;
import io.spillway.core.storage.WriterRegistry;
import java.io.IOException;
import java.util.List;
import java.util.Set;
import java.util.stream.Collectors;
import software.amazon.awssdk.core.exception.SdkException;
import software.amazon.awssdk.core.sync.RequestBody;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.s3.model.S3Object;

/**
 * The {@link WriterRegistry} of an S3 store: empty objects {@code writer/<id>/<token>} say which
 * request writes an upload, and {@code release/<id>/<token>} ask it to let go. Every server lists
 * {@code release/} while it writes uploads (the engine does so every half second), so a release
 * request reaches its writer within a second; listing is strongly consistent on S3 and MinIO.
 *
 * <p>Keys whose last segment is not a token are not entries and are skipped: a store may list
 * objects of its own under these prefixes (s3proxy's file system backend shows the temporary file
 * of a put in progress, {@code <token>-<uuid>}, for a moment).
 *
 * <p>Entries are hints: a server that dies leaves its writer entries, which the next request for
 * the upload removes after the release wait, and {@link S3ResumableStore#delete} removes all of
 * an upload's entries.
 */
final class S3WriterRegistry implements WriterRegistry {

    static final String WRITER = "writer/";
    static final String RELEASE = "release/";

    private static final System.Logger LOG = System.getLogger(S3WriterRegistry.class.getName());

    private final S3Client s3;
    private final String bucket;
    private final String prefix;

    S3WriterRegistry(S3Client s3, String bucket, String prefix) {
        this.s3 = s3;
        this.bucket = bucket;
        this.prefix = prefix;
    }

    @Override
    public void announce(String id, String writer) throws IOException {
        put(writerKey(id, writer), "announcing a writer");
    }

    @Override
    public void withdraw(String id, String writer) {
        for (String key : List.of(writerKey(id, writer), releaseKey(id, writer))) {
            try {
                s3.deleteObject(b -> b.bucket(bucket).key(key));
            } catch (SdkException e) {
                LOG.log(System.Logger.Level.WARNING, "could not withdraw writer entry " + key
                        + "; it is removed with the upload", e);
            }
        }
    }

    @Override
    public List<String> writers(String id) throws IOException {
        return lastSegments(prefix + WRITER + UploadIds.requireValid(id) + "/", "listing an upload's writers");
    }

    @Override
    public void requestRelease(String id, String writer) throws IOException {
        put(releaseKey(id, writer), "asking a writer to let go");
    }

    @Override
    public Set<String> releaseRequests() throws IOException {
        return Set.copyOf(lastSegments(prefix + RELEASE, "listing the requests to let go"));
    }

    @Override
    public boolean stillAnnounced(String id, String writer) throws IOException {
        return writers(id).contains(token(writer));
    }

    /** The key prefixes of one upload's entries, for its deletion. */
    List<String> prefixesOf(String id) {
        return List.of(prefix + WRITER + id + "/", prefix + RELEASE + id + "/");
    }

    private void put(String key, String what) throws IOException {
        S3Errors.call(what, () -> s3.putObject(b -> b.bucket(bucket).key(key).contentLength(0L),
                RequestBody.empty()));
    }

    private List<String> lastSegments(String keyPrefix, String what) throws IOException {
        return S3Errors.call(what, () -> s3.listObjectsV2Paginator(b -> b.bucket(bucket).prefix(keyPrefix))
                .contents().stream().map(S3Object::key).filter(key -> !key.endsWith("/"))
                .map(key -> key.substring(key.lastIndexOf('/') + 1)).filter(UploadIds::isValid)
                .collect(Collectors.toList()));
    }

    private String writerKey(String id, String writer) {
        return prefix + WRITER + UploadIds.requireValid(id) + "/" + token(writer);
    }

    private String releaseKey(String id, String writer) {
        return prefix + RELEASE + UploadIds.requireValid(id) + "/" + token(writer);
    }

    private static String token(String writer) {
        if (!UploadIds.isValid(writer)) {
            throw new IllegalArgumentException("not a writer token: " + writer);
        }
        return writer;
    }
}
