package io.spillway.s3;

import io.spillway.core.UploadRejectedException;
import io.spillway.core.internal.json.Json;
import io.spillway.core.storage.ResumableStore;
import io.spillway.core.storage.TempStorage;
import io.spillway.core.storage.UploadIds;
import io.spillway.core.storage.WriterRegistry;
import io.spillway.s3.Envelope.Piece;
import io.spillway.s3.Envelope.Segment;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import software.amazon.awssdk.auth.credentials.DefaultCredentialsProvider;
import software.amazon.awssdk.core.ResponseBytes;
import software.amazon.awssdk.core.exception.SdkException;
import software.amazon.awssdk.core.sync.RequestBody;
import software.amazon.awssdk.http.apache.ApacheHttpClient;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.s3.S3ClientBuilder;
import software.amazon.awssdk.services.s3.model.CompletedPart;
import software.amazon.awssdk.services.s3.model.GetObjectResponse;
import software.amazon.awssdk.services.s3.model.MultipartUpload;
import software.amazon.awssdk.services.s3.model.ObjectIdentifier;
import software.amazon.awssdk.services.s3.model.Part;
import software.amazon.awssdk.services.s3.model.PutObjectRequest;
import software.amazon.awssdk.services.s3.model.S3Object;

/**
 * A {@link ResumableStore} in an S3-compatible object store, shared by every server that points at
 * the same bucket and prefix, so that any of them can continue an upload another one started.
 *
 * <p>Layout under the prefix, per upload id:
 * <ul>
 *   <li>{@code state/<id>.json}: the {@link Envelope}: the engine's state plus the multipart upload
 *       id, the part size and the list of committed pieces;</li>
 *   <li>{@code pieces/<id>/<start>-<end>-<nonce>}: one staging object per stored chunk. Chunks are
 *       of any size, S3 parts must be at least 5 MiB, so chunks are staged here, in the bucket, where
 *       every server sees them (local or in-memory staging would tie an upload to one server);</li>
 *   <li>{@code data/<id>}: the S3 multipart upload. As soon as committed pieces cover a whole part,
 *       the server that committed them uploads it ({@code UploadPart}, streamed from the pieces);
 *       completion uploads what is left and assembles the object with {@code CompleteMultipartUpload};</li>
 *   <li>{@code lock/<id>/<nonce>}: {@link StoreLock} entries;</li>
 *   <li>{@code ended/<id>.json}: the record that an upload ended (completed, terminated,
 *       expired), kept for {@code uploadExpiry} so that every server answers a late request with
 *       410 or "complete";</li>
 *   <li>{@code writer/<id>/<token>} and {@code release/<id>/<token>}: the {@link S3WriterRegistry}
 *       through which a request on one server asks a writer on another to let go of an upload.</li>
 * </ul>
 *
 * <p>Concurrency: every state change is a compare-and-set on the state object's ETag, done while
 * holding the upload's {@link StoreLock}, with {@code If-Match} (or {@code If-None-Match: *} on
 * creation) sent as well, which stores that support conditional writes (AWS S3, MinIO) enforce on
 * top. Bytes are written as new pieces with random names before the state that lists them, so a
 * writer that loses the race, fails or dies leaves only pieces no state lists, which it deletes or
 * the upload's deletion removes.
 *
 * <p>Pieces stay until the upload is deleted, even once their part is uploaded, because S3 cannot
 * read back the parts of an unfinished multipart upload and the engine compares retransmitted
 * bytes with the stored ones: while an upload is in progress the bucket holds its received bytes
 * twice over at most.
 *
 * <p>The engine calls {@link #write} and then {@link #replaceState} for the same upload on the same
 * thread while holding its commit lock; the piece a write stored is committed by the next state
 * change of that thread and upload, or deleted when that change fails.
 */
public final class S3ResumableStore implements ResumableStore, AutoCloseable {

    static final String STATE = "state/";
    static final String PIECES = "pieces/";
    static final String DATA = "data/";
    static final String LOCK = "lock/";
    static final String ENDED = "ended/";

    private static final System.Logger LOG = System.getLogger(S3ResumableStore.class.getName());
    private static final int MAX_PARTS = 10_000;
    private static final long MIB = 1L << 20;
    private static final int DELETE_BATCH = 1000;
    private static final String JSON = "application/json";

    private final S3Client s3;
    private final String bucket;
    private final String prefix;
    private final long partSize;
    private final TempStorage local;
    private final StoreLock locks;
    private final S3WriterRegistry writers;
    private final Map<String, Piece> pending = new ConcurrentHashMap<>();

    S3ResumableStore(S3Client s3, String bucket, String prefix, long partSize, TempStorage local) {
        this.s3 = s3;
        this.bucket = bucket;
        this.prefix = prefix;
        this.partSize = partSize;
        this.local = local;
        this.locks = new StoreLock(s3, bucket, prefix + LOCK);
        this.writers = new S3WriterRegistry(s3, bucket, prefix);
    }

    /**
     * Opens the store: builds the client (credentials from the SDK's default chain), clears this
     * server's leftover local files and checks that the bucket answers.
     *
     * @param localDirectory private directory for the files {@link #materialize} hands out
     * @throws UploadRejectedException 503 when the bucket cannot be reached
     */
    public static S3ResumableStore open(S3Settings settings, Path localDirectory) throws IOException {
        TempStorage local = TempStorage.open(localDirectory);
        local.deleteOwnFiles();
        S3Client client = client(settings);
        S3ResumableStore store = new S3ResumableStore(client, settings.bucket(), settings.prefix(),
                settings.partSize(), local);
        try {
            S3Errors.call("checking bucket " + settings.bucket(),
                    () -> client.headBucket(b -> b.bucket(settings.bucket())));
        } catch (UploadRejectedException e) {
            client.close();
            throw e;
        }
        return store;
    }

    /** The client for the settings: path-style and endpoint as configured, the SDK's credential chain. */
    static S3Client client(S3Settings settings) {
        S3ClientBuilder builder = S3Client.builder()
                .httpClientBuilder(ApacheHttpClient.builder()
                        .connectionTimeout(Duration.ofSeconds(10))
                        .socketTimeout(Duration.ofSeconds(60)))
                .credentialsProvider(DefaultCredentialsProvider.create())
                .forcePathStyle(settings.pathStyle());
        if (settings.endpoint() != null) {
            builder.endpointOverride(settings.endpoint());
        }
        if (settings.region() != null) {
            builder.region(Region.of(settings.region()));
        } else if (settings.endpoint() != null) {
            builder.region(Region.of(S3Settings.ENDPOINT_DEFAULT_REGION));
        }
        return builder.build();
    }

    @Override
    public void create(String id, String stateJson) throws IOException {
        UploadIds.requireValid(id);
        String key = stateKey(id);
        if (exists(key)) {
            throw new FileAlreadyExistsException(id);
        }
        long total = totalOf(stateJson);
        long size = partSizeFor(total);
        String uploadId = total == 0 ? null : S3Errors.call("starting an upload",
                () -> s3.createMultipartUpload(b -> b.bucket(bucket).key(dataKey(id))).uploadId());
        Envelope envelope = new Envelope(uploadId, size, total, List.of(), stateJson);
        try {
            S3Errors.call("storing upload state", () -> putState(key, envelope, b -> b.ifNoneMatch("*")));
        } catch (IOException | RuntimeException e) {
            abortQuietly(id, uploadId);
            throw e;
        }
    }

    @Override
    public Optional<StoredState> readState(String id) throws IOException {
        return readEnvelopeText(UploadIds.requireValid(id)).map(read -> {
            try {
                return new StoredState(Envelope.parse(read.text()).state(), read.version());
            } catch (IllegalArgumentException corrupt) {
                return new StoredState(read.text(), read.version());
            }
        });
    }

    @Override
    public Optional<String> replaceState(String id, String expectedVersion, String stateJson) throws IOException {
        UploadIds.requireValid(id);
        Piece added = pending.remove(pendingKey(id));
        List<Piece> pieces = added == null ? List.of() : List.of(added);
        Optional<Committed> committed;
        try {
            committed = locks.withLock(id, () -> compareAndSet(id, expectedVersion, stateJson, pieces),
                    Optional.empty());
        } catch (IOException | RuntimeException e) {
            deletePiecesQuietly(id, pieces);
            throw e;
        }
        if (committed.isEmpty()) {
            deletePiecesQuietly(id, pieces);
            return Optional.empty();
        }
        uploadCoveredParts(id, committed.get().envelope(), pieces);
        return Optional.of(committed.get().version());
    }

    @Override
    public void write(String id, long offset, InputStream bytes, long length) throws IOException {
        UploadIds.requireValid(id);
        if (offset < 0 || length <= 0) {
            throw new IllegalArgumentException("offset must not be negative and length positive: " + offset + ", "
                    + length);
        }
        Piece piece = new Piece(offset, offset + length, TempStorage.newId());
        S3Errors.call("storing a chunk", () -> s3.putObject(b -> b.bucket(bucket).key(pieceKey(id, piece))
                .contentLength(length), RequestBody.fromInputStream(bytes, length)));
        Piece stale = pending.put(pendingKey(id), piece);
        if (stale != null) {
            deletePiecesQuietly(id, List.of(stale));
        }
    }

    @Override
    public InputStream read(String id, long offset, long length) throws IOException {
        Envelope envelope = envelope(UploadIds.requireValid(id));
        List<Segment> segments = envelope.cover(offset, offset + length);
        if (segments == null) {
            throw new UploadRejectedException(503, "stored bytes of this upload are missing from the object store");
        }
        return segmentStream(id, segments);
    }

    private SegmentStream segmentStream(String id, List<Segment> segments) {
        return new SegmentStream(s3, bucket, segments, piece -> pieceKey(id, piece));
    }

    @Override
    public long storedExtent(String id) throws IOException {
        Optional<ReadEnvelope> read = readEnvelopeText(UploadIds.requireValid(id));
        if (read.isEmpty()) {
            return 0;
        }
        try {
            return Envelope.parse(read.get().text()).extent();
        } catch (IllegalArgumentException corrupt) {
            return 0;
        }
    }

    /**
     * Does nothing: bytes no state records are pieces no envelope lists, which are never read and
     * go with the upload. Dropping them here could delete a piece another server is committing.
     */
    @Override
    public void discardBeyond(String id, long extent) {
        UploadIds.requireValid(id);
    }

    @Override
    public Path materialize(String id) throws IOException {
        Envelope envelope = envelope(UploadIds.requireValid(id));
        long length = envelope.total() >= 0 ? envelope.total() : envelope.extent();
        Path file = local.root().resolve(TempStorage.FILE_PREFIX + id + ".upload");
        if (Files.isRegularFile(file, LinkOption.NOFOLLOW_LINKS) && Files.size(file) == length) {
            return file;
        }
        if (length == 0) {
            Files.deleteIfExists(file);
            Files.createFile(file);
            return file;
        }
        if (!assembled(id, length)) {
            completeMultipartUpload(id, envelope, length);
        }
        download(dataKey(id), file, length);
        return file;
    }

    @Override
    public List<StoredUpload> list() throws IOException {
        Map<String, Instant> modified = new TreeMap<>();
        Map<String, Boolean> hasState = new HashMap<>();
        for (S3Object object : S3Errors.call("listing uploads", () -> s3.listObjectsV2Paginator(b -> b
                .bucket(bucket).prefix(prefix)).contents().stream().toList())) {
            if (object.key().endsWith("/")) {
                continue;
            }
            String rest = object.key().substring(prefix.length());
            String id = idOf(rest);
            if (id == null) {
                continue;
            }
            modified.merge(id, object.lastModified(), (a, b) -> a.isAfter(b) ? a : b);
            if (rest.equals(STATE + id + ".json")) {
                hasState.put(id, true);
            }
        }
        for (MultipartUpload upload : S3Errors.call("listing uploads", () -> s3.listMultipartUploadsPaginator(b -> b
                .bucket(bucket).prefix(prefix + DATA)).uploads().stream().toList())) {
            String id = idOf(upload.key().substring(prefix.length()));
            if (id != null) {
                modified.merge(id, upload.initiated(), (a, b) -> a.isAfter(b) ? a : b);
            }
        }
        List<StoredUpload> uploads = new ArrayList<>(modified.size());
        modified.forEach((id, when) -> uploads.add(new StoredUpload(id, when, hasState.getOrDefault(id, false))));
        return uploads;
    }

    /**
     * Deletes the state first (while holding the upload's lock, so that no commit can bring it
     * back), then aborts the multipart upload, so that no hidden parts keep costing, then deletes the
     * pieces, the assembled object, stale lock entries and the local file.
     *
     * @throws UploadRejectedException 503 when the store fails or a writer holds the lock throughout
     */
    @Override
    public void delete(String id) throws IOException {
        UploadIds.requireValid(id);
        Optional<ReadEnvelope> read = readEnvelopeText(id);
        boolean stateGone = locks.withLock(id, () -> {
            S3Errors.call("deleting upload state", () -> s3.deleteObject(b -> b.bucket(bucket).key(stateKey(id))));
            return true;
        }, false);
        if (!stateGone) {
            throw new UploadRejectedException(503, "upload is being written elsewhere; not deleted yet");
        }
        String uploadId = read.flatMap(r -> {
            try {
                return Optional.ofNullable(Envelope.parse(r.text()).uploadId());
            } catch (IllegalArgumentException corrupt) {
                return Optional.empty();
            }
        }).orElse(null);
        abortAll(id, uploadId);
        deletePrefix(prefix + PIECES + id + "/");
        S3Errors.call("deleting an upload", () -> s3.deleteObject(b -> b.bucket(bucket).key(dataKey(id))));
        deleteStaleLocks(id);
        for (String entries : writers.prefixesOf(id)) {
            deletePrefix(entries);
        }
        TempStorage.deleteQuietly(local.root().resolve(TempStorage.FILE_PREFIX + id + ".upload"));
    }

    /** Free bytes of this server's local directory: chunks are received and completed files handed out there. */
    @Override
    public long usableSpace() {
        return local.usableSpace();
    }

    @Override
    public void recordEnding(String id, String json) throws IOException {
        byte[] body = json.getBytes(StandardCharsets.UTF_8);
        S3Errors.call("recording the end of an upload", () -> s3.putObject(b -> b.bucket(bucket)
                .key(endedKey(id)).contentType(JSON).contentLength((long) body.length), RequestBody.fromBytes(body)));
    }

    @Override
    public Optional<String> readEnding(String id) throws IOException {
        try {
            return Optional.of(s3.getObjectAsBytes(b -> b.bucket(bucket).key(endedKey(id))).asUtf8String());
        } catch (SdkException e) {
            if (S3Errors.isMissing(e)) {
                return Optional.empty();
            }
            throw S3Errors.translate("reading the end of an upload", e);
        }
    }

    @Override
    public List<Ending> listEndings() throws IOException {
        String endedPrefix = prefix + ENDED;
        return S3Errors.call("listing ended uploads", () -> s3.listObjectsV2Paginator(b -> b.bucket(bucket)
                .prefix(endedPrefix)).contents().stream()
                .filter(o -> o.key().endsWith(".json"))
                .map(o -> new Ending(o.key().substring(endedPrefix.length(), o.key().length() - ".json".length()),
                        o.lastModified()))
                .filter(e -> UploadIds.isValid(e.id())).toList());
    }

    @Override
    public void forgetEnding(String id) throws IOException {
        S3Errors.call("forgetting the end of an upload", () -> s3.deleteObject(b -> b.bucket(bucket)
                .key(endedKey(id))));
    }

    /** Writers announce themselves in the bucket, where every server sees them. */
    @Override
    public WriterRegistry writers() {
        return writers;
    }

    /** Every server pointed at the bucket and prefix uses it. */
    @Override
    public boolean shared() {
        return true;
    }

    @Override
    public void close() {
        s3.close();
    }

    private Optional<Committed> compareAndSet(String id, String expectedVersion, String stateJson,
                                              List<Piece> added) throws IOException {
        Optional<ReadEnvelope> current = readEnvelopeText(id);
        if (current.isEmpty() || !current.get().version().equals(expectedVersion)) {
            return Optional.empty();
        }
        Envelope envelope;
        try {
            envelope = Envelope.parse(current.get().text());
        } catch (IllegalArgumentException corrupt) {
            return Optional.empty();
        }
        Envelope next = envelope.next(stateJson, added);
        try {
            String version = S3Errors.call("storing upload state", () -> putState(stateKey(id), next,
                    b -> b.ifMatch(quoted(expectedVersion))));
            return Optional.of(new Committed(next, version));
        } catch (UploadRejectedException e) {
            if (e.getCause() instanceof SdkException sdk && S3Errors.isPreconditionFailed(sdk)) {
                return Optional.empty();
            }
            throw e;
        }
    }

    private void uploadCoveredParts(String id, Envelope envelope, List<Piece> added) {
        if (added.isEmpty() || envelope.uploadId() == null || envelope.total() < 0) {
            return;
        }
        Piece piece = added.get(0);
        int first = (int) (piece.start() / envelope.partSize()) + 1;
        int last = (int) ((piece.end() - 1) / envelope.partSize()) + 1;
        for (int number = first; number <= last; number++) {
            List<Segment> segments = envelope.cover(envelope.partStart(number), envelope.partEnd(number,
                    envelope.total()));
            if (segments == null) {
                continue;
            }
            try {
                uploadPart(id, envelope, number, segments);
            } catch (IOException | RuntimeException e) {
                LOG.log(System.Logger.Level.INFO, "part " + number + " of upload " + id
                        + " not uploaded yet; completion will retry", e);
            }
        }
    }

    private CompletedPart uploadPart(String id, Envelope envelope, int number, List<Segment> segments)
            throws IOException {
        long length = segments.stream().mapToLong(Segment::length).sum();
        String etag = S3Errors.call("uploading a part", () -> s3.uploadPart(b -> b.bucket(bucket).key(dataKey(id))
                        .uploadId(envelope.uploadId()).partNumber(number).contentLength(length),
                RequestBody.fromContentProvider(new SegmentStream.Provider(() -> segmentStream(id, segments)),
                        length, "application/octet-stream")).eTag());
        return CompletedPart.builder().partNumber(number).eTag(etag).build();
    }

    /**
     * Whether an earlier completion already assembled the object (and only its download failed).
     * Checked before anything else, because not every store refuses to list or add parts of a
     * multipart upload that was completed (s3proxy does not).
     */
    private boolean assembled(String id, long length) throws IOException {
        try {
            return s3.headObject(b -> b.bucket(bucket).key(dataKey(id))).contentLength() == length;
        } catch (SdkException e) {
            if (S3Errors.isMissing(e)) {
                return false;
            }
            throw S3Errors.translate("completing an upload", e);
        }
    }

    private void completeMultipartUpload(String id, Envelope envelope, long length) throws IOException {
        Map<Integer, Part> uploaded = new HashMap<>();
        try {
            s3.listPartsPaginator(b -> b.bucket(bucket).key(dataKey(id)).uploadId(envelope.uploadId())).parts()
                    .forEach(part -> uploaded.put(part.partNumber(), part));
        } catch (SdkException e) {
            if (S3Errors.isMissing(e) && exists(dataKey(id))) {
                return;
            }
            throw S3Errors.translate("completing an upload", e);
        }
        int count = envelope.partCount(length);
        if (count > MAX_PARTS) {
            throw new UploadRejectedException(507, "upload needs more than " + MAX_PARTS + " parts");
        }
        List<CompletedPart> parts = new ArrayList<>(count);
        for (int number = 1; number <= count; number++) {
            long start = envelope.partStart(number);
            long end = envelope.partEnd(number, length);
            Part done = uploaded.get(number);
            if (done != null && done.size() != null && done.size() == end - start) {
                parts.add(CompletedPart.builder().partNumber(number).eTag(done.eTag()).build());
                continue;
            }
            List<Segment> segments = envelope.cover(start, end);
            if (segments == null) {
                throw new UploadRejectedException(503, "stored bytes of this upload are missing from the object store");
            }
            parts.add(uploadPart(id, envelope, number, segments));
        }
        S3Errors.call("completing an upload", () -> s3.completeMultipartUpload(b -> b.bucket(bucket)
                .key(dataKey(id)).uploadId(envelope.uploadId()).multipartUpload(m -> m.parts(parts))));
    }

    private void download(String key, Path file, long length) throws IOException {
        Path partial = local.createFile(".download");
        try {
            S3Errors.call("reading the completed upload", () -> {
                try (InputStream in = s3.getObject(b -> b.bucket(bucket).key(key))) {
                    Files.copy(in, partial, StandardCopyOption.REPLACE_EXISTING);
                }
                return null;
            });
            if (Files.size(partial) != length) {
                throw new UploadRejectedException(503, "object store returned " + Files.size(partial)
                        + " bytes of an upload of " + length);
            }
            Files.move(partial, file, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
        } catch (UploadRejectedException e) {
            throw e;
        } catch (IOException e) {
            throw new UploadRejectedException(507, "could not store the completed upload locally", e);
        } finally {
            TempStorage.deleteQuietly(partial);
        }
    }

    private String putState(String key, Envelope envelope, java.util.function.Consumer<PutObjectRequest.Builder>
            condition) {
        byte[] body = envelope.toJson().getBytes(StandardCharsets.UTF_8);
        return unquoted(s3.putObject(b -> {
            b.bucket(bucket).key(key).contentType(JSON).contentLength((long) body.length);
            condition.accept(b);
        }, RequestBody.fromBytes(body)).eTag());
    }

    private Envelope envelope(String id) throws IOException {
        ReadEnvelope read = readEnvelopeText(id).orElseThrow(() ->
                new UploadRejectedException(404, "unknown upload id"));
        try {
            return Envelope.parse(read.text());
        } catch (IllegalArgumentException corrupt) {
            throw new UploadRejectedException(503, "state of this upload in the object store is unreadable", corrupt);
        }
    }

    private Optional<ReadEnvelope> readEnvelopeText(String id) throws IOException {
        try {
            ResponseBytes<GetObjectResponse> bytes = s3.getObjectAsBytes(b -> b.bucket(bucket).key(stateKey(id)));
            return Optional.of(new ReadEnvelope(bytes.asUtf8String(), unquoted(bytes.response().eTag())));
        } catch (SdkException e) {
            if (S3Errors.isMissing(e)) {
                return Optional.empty();
            }
            throw S3Errors.translate("reading upload state", e);
        }
    }

    private boolean exists(String key) throws IOException {
        try {
            s3.headObject(b -> b.bucket(bucket).key(key));
            return true;
        } catch (SdkException e) {
            if (S3Errors.isMissing(e)) {
                return false;
            }
            throw S3Errors.translate("reading upload state", e);
        }
    }

    private void abortAll(String id, String uploadId) throws IOException {
        if (uploadId != null) {
            abort(id, uploadId);
        }
        for (MultipartUpload upload : S3Errors.call("listing multipart uploads", () -> s3
                .listMultipartUploadsPaginator(b -> b.bucket(bucket).prefix(dataKey(id))).uploads().stream()
                .filter(u -> u.key().equals(dataKey(id))).toList())) {
            abort(id, upload.uploadId());
        }
    }

    private void abort(String id, String uploadId) throws IOException {
        try {
            s3.abortMultipartUpload(b -> b.bucket(bucket).key(dataKey(id)).uploadId(uploadId));
        } catch (SdkException e) {
            if (!S3Errors.isMissing(e)) {
                throw S3Errors.translate("aborting a multipart upload", e);
            }
        }
    }

    private void abortQuietly(String id, String uploadId) {
        if (uploadId == null) {
            return;
        }
        try {
            abort(id, uploadId);
        } catch (IOException | RuntimeException e) {
            LOG.log(System.Logger.Level.WARNING, "could not abort multipart upload of " + id
                    + "; the sweeper removes it", e);
        }
    }

    private void deletePrefix(String keyPrefix) throws IOException {
        List<String> keys = S3Errors.call("listing an upload's pieces", () -> s3.listObjectsV2Paginator(b -> b
                .bucket(bucket).prefix(keyPrefix)).contents().stream().map(S3Object::key)
                .filter(key -> !key.endsWith("/")).toList());
        deleteKeys(keys);
    }

    private void deleteKeys(List<String> keys) throws IOException {
        for (int from = 0; from < keys.size(); from += DELETE_BATCH) {
            List<ObjectIdentifier> batch = keys.subList(from, Math.min(keys.size(), from + DELETE_BATCH)).stream()
                    .map(key -> ObjectIdentifier.builder().key(key).build()).toList();
            S3Errors.call("deleting an upload's pieces", () -> s3.deleteObjects(b -> b.bucket(bucket)
                    .delete(d -> d.objects(batch).quiet(true))));
        }
    }

    private void deleteStaleLocks(String id) throws IOException {
        Instant stale = Instant.now().minus(StoreLock.LEASE.multipliedBy(2));
        List<String> keys = S3Errors.call("listing lock entries", () -> s3.listObjectsV2Paginator(b -> b
                .bucket(bucket).prefix(locks.prefixOf(id))).contents().stream()
                .filter(o -> !o.key().endsWith("/") && o.lastModified().isBefore(stale)).map(S3Object::key).toList());
        deleteKeys(keys);
    }

    private void deletePiecesQuietly(String id, List<Piece> pieces) {
        for (Piece piece : pieces) {
            try {
                s3.deleteObject(b -> b.bucket(bucket).key(pieceKey(id, piece)));
            } catch (SdkException e) {
                LOG.log(System.Logger.Level.WARNING, "could not delete an uncommitted piece of upload " + id
                        + "; it goes with the upload", e);
            }
        }
    }

    private long partSizeFor(long total) {
        if (total <= (long) MAX_PARTS * partSize) {
            return partSize;
        }
        long needed = (total + MAX_PARTS - 1) / MAX_PARTS;
        return (needed + MIB - 1) / MIB * MIB;
    }

    private static long totalOf(String stateJson) {
        try {
            return Json.parseObject(stateJson).get("total") instanceof Long total && total >= 0 ? total : -1;
        } catch (IllegalArgumentException notJson) {
            return -1;
        }
    }

    /** The upload id a key below the prefix belongs to, or null for a foreign key. */
    private static String idOf(String rest) {
        for (String family : List.of(STATE, PIECES, DATA, LOCK)) {
            if (rest.startsWith(family)) {
                String tail = rest.substring(family.length());
                String id = tail.length() >= 32 ? tail.substring(0, 32) : tail;
                return UploadIds.isValid(id) ? id : null;
            }
        }
        return null;
    }

    private static String pendingKey(String id) {
        return id + ':' + Thread.currentThread().getId();
    }

    String stateKey(String id) {
        return prefix + STATE + id + ".json";
    }

    private String endedKey(String id) {
        return prefix + ENDED + UploadIds.requireValid(id) + ".json";
    }

    String dataKey(String id) {
        return prefix + DATA + id;
    }

    private String pieceKey(String id, Piece piece) {
        return prefix + PIECES + id + "/" + piece.name();
    }

    private static String quoted(String etag) {
        return "\"" + etag + "\"";
    }

    private static String unquoted(String etag) {
        if (etag == null) {
            return "";
        }
        return etag.length() >= 2 && etag.startsWith("\"") && etag.endsWith("\"")
                ? etag.substring(1, etag.length() - 1) : etag;
    }

    private record ReadEnvelope(String text, String version) {
    }

    private record Committed(Envelope envelope, String version) {
    }
}
