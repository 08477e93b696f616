package io.spillway.servlet.testing;

import java.net.URI;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;

/**
 * One file sent slice by slice with {@code Content-Range}, as a resumable client sends it: each
 * request carries bytes {@code [from, to)} of the file as {@code application/octet-stream} under
 * the file's name, and the {@code Upload-Id} the server gave for the first slice on every later
 * one. It keeps the tests' many slice requests to one way of writing them.
 *
 * @param uri      where the slices go
 * @param method   {@code PUT} or {@code POST}
 * @param fileName the file name in the {@code Content-Disposition} header
 * @param file     the whole file
 */
public record ContentRangeSlices(URI uri, String method, String fileName, byte[] file) {

    /** The request for bytes {@code [from, to)}; {@code id} is null for the first slice. */
    public HttpRequest.Builder request(String id, long from, long to) {
        HttpRequest.Builder request = HttpRequest.newBuilder(uri)
                .header("Content-Range", "bytes " + from + "-" + (to - 1) + "/" + file.length)
                .header("Content-Type", "application/octet-stream")
                .header("Content-Disposition", "attachment; filename=\"" + fileName + "\"")
                .method(method, HttpRequest.BodyPublishers.ofByteArray(file, (int) from, (int) (to - from)));
        if (id != null) {
            request.header("Upload-Id", id);
        }
        return request;
    }

    /** Sends the slice {@code [from, to)}; {@code id} is null for the first slice. */
    public HttpResponse<String> send(String id, long from, long to) {
        return Http.send(request(id, from, to).build());
    }
}
