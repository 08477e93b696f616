package io.spillway.s3.testing;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;

import java.time.Duration;
import java.util.List;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.s3.model.MultipartUpload;
import software.amazon.awssdk.services.s3.model.S3Object;

/** What a bucket holds under a prefix, for assertions. */
public final class Bucket {

    /** How long the waits below give the store to finish what a request started (a slow CI machine). */
    public static final Duration PATIENCE = Duration.ofSeconds(60);

    private Bucket() {
    }

    /** Waits until nothing at all (no key, no unfinished multipart upload) is left under the prefix. */
    public static void awaitEmpty(S3Client s3, String bucket, String prefix) {
        await("nothing left under " + prefix).atMost(PATIENCE).untilAsserted(() -> {
            assertEquals(List.of(), keys(s3, bucket, prefix));
            assertEquals(List.of(), multipartUploads(s3, bucket, prefix));
        });
    }

    /** Waits until nothing of an upload is left under the prefix but the records of ended uploads. */
    public static void awaitNoUploadLeft(S3Client s3, String bucket, String prefix) {
        await("no upload left under " + prefix).atMost(PATIENCE).untilAsserted(() -> {
            assertEquals(List.of(), uploadKeys(s3, bucket, prefix));
            assertEquals(List.of(), multipartUploads(s3, bucket, prefix));
        });
    }

    /** Waits until a multipart upload has begun under the prefix (parts are on their way). */
    public static void awaitMultipartUploadBegun(S3Client s3, String bucket, String prefix) {
        await("a multipart upload under " + prefix).atMost(PATIENCE)
                .until(() -> !multipartUploads(s3, bucket, prefix).isEmpty());
    }


    /** Every key under the prefix (without the directory entries s3proxy's filesystem backend lists). */
    public static List<String> keys(S3Client s3, String bucket, String prefix) {
        return s3.listObjectsV2Paginator(b -> b.bucket(bucket).prefix(prefix)).contents().stream()
                .map(S3Object::key).filter(key -> !key.endsWith("/")).toList();
    }

    /**
     * Every key under the prefix that holds something of an upload: all but the records that
     * uploads ended ({@code ended/<id>.json}), which the store keeps for {@code uploadExpiry}.
     */
    public static List<String> uploadKeys(S3Client s3, String bucket, String prefix) {
        return keys(s3, bucket, prefix).stream().filter(key -> !key.startsWith(prefix + "ended/")).toList();
    }

    /** The records of ended uploads under the prefix. */
    public static List<String> endingKeys(S3Client s3, String bucket, String prefix) {
        return keys(s3, bucket, prefix + "ended/");
    }

    /** Every unfinished multipart upload under the prefix. */
    public static List<MultipartUpload> multipartUploads(S3Client s3, String bucket, String prefix) {
        return s3.listMultipartUploadsPaginator(b -> b.bucket(bucket).prefix(prefix)).uploads().stream().toList();
    }
}
