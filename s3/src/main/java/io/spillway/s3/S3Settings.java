package io.spillway.s3;

import io.spillway.core.config.Sizes;
import java.net.URI;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;

/**
 * The init-params of {@code storage=s3}. Credentials are never among them: the client takes them
 * from the AWS SDK's default provider chain (environment, system properties, profiles, container
 * and instance roles).
 *
 * @param endpoint  the S3 API endpoint, or null for AWS itself ({@code s3Endpoint=http://minio:9000})
 * @param bucket    the bucket, which must exist ({@code s3Bucket})
 * @param region    the signing region, or null for the SDK's region chain ({@code s3Region})
 * @param prefix    key prefix under which everything of Spillway lives, empty or ending in {@code /}
 *                  ({@code s3Prefix}, default {@value #DEFAULT_PREFIX})
 * @param pathStyle whether to address the bucket in the path rather than the host name
 *                  ({@code s3PathStyle}, default false; most S3-compatible servers need true)
 * @param partSize  the multipart part size, at least 5 MiB ({@code s3PartSize}, default 8MiB); raised
 *                  for a very large upload so that it needs at most 10,000 parts
 */
public record S3Settings(URI endpoint, String bucket, String region, String prefix, boolean pathStyle,
                         long partSize) {

    public static final String ENDPOINT = "s3Endpoint";
    public static final String BUCKET = "s3Bucket";
    public static final String REGION = "s3Region";
    public static final String PREFIX = "s3Prefix";
    public static final String PATH_STYLE = "s3PathStyle";
    public static final String PART_SIZE = "s3PartSize";

    /** Every init-param of this storage. */
    public static final Set<String> NAMES = Set.of(ENDPOINT, BUCKET, REGION, PREFIX, PATH_STYLE, PART_SIZE);

    public static final String DEFAULT_PREFIX = "spillway/";
    public static final long MIN_PART_SIZE = 5L << 20;
    public static final long MAX_PART_SIZE = 5L << 30;
    public static final long DEFAULT_PART_SIZE = 8L << 20;
    /** The region used with a custom endpoint when none is configured (S3-compatible servers ignore it). */
    public static final String ENDPOINT_DEFAULT_REGION = "us-east-1";

    /** Checks the values; one message per problem, each naming the parameter and echoing the value. */
    public static List<String> check(Map<String, String> values) {
        List<String> problems = new ArrayList<>();
        String bucket = values.get(BUCKET);
        if (bucket == null || bucket.isBlank()) {
            problems.add(BUCKET + " is required with storage=s3; example: " + BUCKET + "=my-uploads");
        } else if (!bucket.trim().matches("[a-z0-9][a-z0-9.-]{1,61}[a-z0-9]")) {
            problems.add(BUCKET + " is not a valid bucket name: '" + bucket + "'; example: " + BUCKET + "=my-uploads");
        }
        String endpoint = values.get(ENDPOINT);
        if (endpoint != null && parseEndpoint(endpoint) == null) {
            problems.add(ENDPOINT + " must be an absolute http or https URI: '" + endpoint + "'; example: "
                    + ENDPOINT + "=https://s3.eu-central-1.amazonaws.com");
        }
        String region = values.get(REGION);
        if (region != null && !region.trim().matches("[a-z0-9-]{2,40}")) {
            problems.add(REGION + " is not a region name: '" + region + "'; example: " + REGION + "=eu-central-1");
        }
        String prefix = values.get(PREFIX);
        if (prefix != null && !prefix.trim().isEmpty() && !prefix.trim().matches("[A-Za-z0-9!_.*'()/-]{1,200}/")) {
            problems.add(PREFIX + " must be empty or safe key characters ending in '/': '" + prefix + "'; example: "
                    + PREFIX + "=uploads/spillway/");
        }
        String pathStyle = values.get(PATH_STYLE);
        if (pathStyle != null && !pathStyle.trim().equalsIgnoreCase("true")
                && !pathStyle.trim().equalsIgnoreCase("false")) {
            problems.add(PATH_STYLE + " must be true or false: '" + pathStyle + "'; example: " + PATH_STYLE + "=true");
        }
        String partSize = values.get(PART_SIZE);
        if (partSize != null) {
            try {
                long size = Sizes.parse(partSize);
                if (size < MIN_PART_SIZE || size > MAX_PART_SIZE) {
                    problems.add(PART_SIZE + " must be between 5MiB and 5GiB: '" + partSize + "'; example: "
                            + PART_SIZE + "=16MiB");
                }
            } catch (RuntimeException e) {
                problems.add(PART_SIZE + " value was set to '" + partSize + "', which is not valid; example: "
                        + PART_SIZE + "=16MiB");
            }
        }
        return problems;
    }

    /**
     * The settings from checked values.
     *
     * @throws IllegalArgumentException when {@link #check} finds a problem
     */
    public static S3Settings from(Map<String, String> values) {
        List<String> problems = check(values);
        if (!problems.isEmpty()) {
            throw new IllegalArgumentException(String.join("; ", problems));
        }
        String endpoint = values.get(ENDPOINT);
        String region = values.get(REGION);
        String prefix = values.get(PREFIX);
        String partSize = values.get(PART_SIZE);
        return new S3Settings(endpoint == null ? null : parseEndpoint(endpoint), values.get(BUCKET).trim(),
                region == null ? null : region.trim(), prefix == null ? DEFAULT_PREFIX : prefix.trim(),
                Boolean.parseBoolean(values.getOrDefault(PATH_STYLE, "false").trim()),
                partSize == null ? DEFAULT_PART_SIZE : Sizes.parse(partSize));
    }

    private static URI parseEndpoint(String text) {
        try {
            URI uri = URI.create(text.trim());
            String scheme = uri.getScheme() == null ? "" : uri.getScheme().toLowerCase(Locale.ROOT);
            return uri.getHost() != null && (scheme.equals("http") || scheme.equals("https")) ? uri : null;
        } catch (IllegalArgumentException e) {
            return null;
        }
    }
}
