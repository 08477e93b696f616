package io.spillway.s3.testing;

import java.util.List;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.s3.model.MultipartUpload;
import software.amazon.awssdk.services.s3.model.S3Object;

/** What a bucket holds under a prefix, for assertions. */
public final class Bucket {

    private Bucket() {
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
