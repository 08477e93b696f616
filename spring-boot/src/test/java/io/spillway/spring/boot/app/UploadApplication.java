package io.spillway.spring.boot.app;

import io.spillway.servlet.testing.GeneratedStream;
import java.io.IOException;
import java.io.InputStream;
import java.util.LinkedHashMap;
import java.util.Map;
import org.springframework.boot.autoconfigure.SpringBootApplication;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RequestPart;
import org.springframework.web.bind.annotation.RestController;
import org.springframework.web.multipart.MultipartFile;

/**
 * An ordinary Boot application in its own package, as users have them: a controller that takes
 * {@code MultipartFile}s, nothing of Spillway's.
 */
@SpringBootApplication
public class UploadApplication {

    /** Digests what Spring hands it. */
    @RestController
    public static class UploadController {

        @PostMapping("/upload")
        public Map<String, Object> upload(@RequestParam("file") MultipartFile file,
                                          @RequestParam(value = "title", required = false) String title)
                throws IOException {
            return describe(file, title);
        }

        @PostMapping("/upload/part")
        public Map<String, Object> part(@RequestPart("file") MultipartFile file) throws IOException {
            return describe(file, null);
        }

        private static Map<String, Object> describe(MultipartFile file, String title) throws IOException {
            Map<String, Object> seen = new LinkedHashMap<>();
            seen.put("title", title);
            seen.put("fileName", file.getOriginalFilename());
            seen.put("size", file.getSize());
            seen.put("sha256", sha256(file));
            return seen;
        }

        private static String sha256(MultipartFile file) throws IOException {
            try (InputStream in = file.getInputStream()) {
                return GeneratedStream.sha256Of(in);
            }
        }
    }
}
