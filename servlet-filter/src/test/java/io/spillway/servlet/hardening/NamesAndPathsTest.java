package io.spillway.servlet.hardening;

import static io.spillway.servlet.hardening.Responses.assertEchoed;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.spillway.core.routing.Route;
import io.spillway.core.storage.TempStorage;
import io.spillway.servlet.testing.RawHttpClient;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * THREATS.md 10-11: whatever name a client sends, the stored path is a server-made name inside the
 * private temp directory and the application sees a sanitized base name; the directory is 0700,
 * its files 0600, and planted symbolic links are refused without touching their targets.
 */
@Timeout(value = 60, unit = TimeUnit.SECONDS)
class NamesAndPathsTest {

    @RegisterExtension
    static final Targets TARGETS = new Targets(StorageInspectorServlet::new);
    private static final String STORAGE_NAME = "spw-[0-9a-f]{32}\\.part";

    private static Target inspecting(Mode mode) {
        return TARGETS.get(mode);
    }

    /** A hostile name as it goes into the Content-Disposition header, and the base name expected. */
    static Stream<Arguments> hostileNames() {
        List<Arguments> names = List.of(
                Arguments.of("traversal", "filename=\"../../etc/passwd\"", "passwd"),
                Arguments.of("deep traversal", "filename=\"../../../../../../../../tmp/evil.jsp\"", "evil.jsp"),
                Arguments.of("windows traversal", "filename=\"..\\..\\windows\\win.ini\"", "win.ini"),
                Arguments.of("absolute path", "filename=\"/etc/passwd\"", "passwd"),
                Arguments.of("windows absolute path", "filename=\"C:\\Windows\\win.ini\"", "win.ini"),
                Arguments.of("UNC path", "filename=\"\\\\\\\\server\\share\\x.txt\"", "x.txt"),
                Arguments.of("device name", "filename=\"CON\"", "_CON"),
                Arguments.of("device name with extension", "filename=\"lpt1.txt\"", "_lpt1.txt"),
                Arguments.of("trailing dots and spaces", "filename=\"report. . . \"", "report"),
                Arguments.of("alternate data stream", "filename=\"file.txt::$DATA\"", "file.txt"),
                Arguments.of("only dots", "filename=\"..\"", "unnamed"),
                Arguments.of("NUL inside", "filename=\"evil.jsp\u0000.png\"", "evil.jsp.png"),
                Arguments.of("right-to-left override", "filename=\"\u202Egpj.exe\"", "gpj.exe"),
                Arguments.of("300 bytes", "filename=\"" + "n".repeat(296) + ".txt\"", "n".repeat(255)),
                Arguments.of("300 bytes cut at a dot", "filename=\"" + "a".repeat(254) + "." + "b".repeat(45) + "\"",
                        "a".repeat(254)),
                Arguments.of("300 bytes of two-byte characters", "filename=\"" + "é".repeat(150) + "\"", "é".repeat(127)),
                Arguments.of("encoded traversal", "filename*=UTF-8''..%2F..%2Fevil.jsp", "evil.jsp"),
                Arguments.of("encoded CR LF", "filename*=UTF-8''%0D%0AX-Injected%3A%201.txt", "X-Injected"),
                Arguments.of("encoded NUL", "filename*=UTF-8''evil.jsp%00.png", "evil.jsp.png"),
                Arguments.of("both forms, the extended one wins", "filename=\"plain.txt\"; filename*=UTF-8''%E2%82%AC.txt",
                        "€.txt"));
        return Stream.of(Route.Kind.BUFFERED, Route.Kind.STREAMED)
                .flatMap(route -> names.stream().map(a -> Arguments.of(route, a.get()[0], a.get()[1], a.get()[2])));
    }

    @ParameterizedTest(name = "{0} {1}")
    @MethodSource("hostileNames")
    void hostileFileName_isStoredUnderAServerName_andSeenSanitized(Route.Kind route, String label, String disposition,
                                                                    String expected) {
        Mode mode = route == Route.Kind.BUFFERED ? Mode.BUFFERED : Mode.STREAMED;
        Target target = inspecting(mode);
        Baseline baseline = target.baseline();
        Body body = Body.create().delimiter().text("Content-Disposition: form-data; name=\"doc\"; " + disposition
                + "\r\nContent-Type: application/octet-stream\r\n\r\n").text(("content of " + label + "\n").repeat(1000) + "\r\n").close();
        Map<String, Object> echo = assertEchoed(target.send(body.post("/upload?write=1")));
        Map<?, ?> file = (Map<?, ?>) ((List<?>) echo.get("files")).get(0);
        String sanitized = (String) file.get("fileName");
        SafeNames.assertSafe(disposition, sanitized);
        assertEquals(expected, sanitized);
        assertEquals(List.of(expected), echo.get("submittedFileNames"), "the Part API sees the same name");
        if (route == Route.Kind.STREAMED) {
            assertTrue(((String) file.get("storageName")).matches(STORAGE_NAME), file.toString());
            assertEquals(Boolean.TRUE, file.get("insideRoot"), file.toString());
            assertEquals(Boolean.TRUE, file.get("regularFile"), file.toString());
            assertEquals("rw-------", file.get("permissions"));
        } else {
            assertEquals("null", file.get("storagePath"), "a buffered file has no path at all");
        }
        Map<?, ?> written = (Map<?, ?>) ((List<?>) echo.get("written")).get(0);
        assertEquals(Boolean.TRUE, written.get("insideRoot"), "part.write(submitted name) stays inside: " + written);
        baseline.assertRestored();
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("io.spillway.servlet.hardening.Mode#all")
    void rawCrLfInsideAQuotedName_cannotInjectAHeader(Mode mode) {
        Target target = inspecting(mode);
        Baseline baseline = target.baseline();
        Body body = Body.create().delimiter().text("Content-Disposition: form-data; name=\"doc\"; filename=\"a\r\n"
                + "Content-Type: text/html\r\n\r\nx.txt\"\r\n\r\n<script>\r\n").close();
        RawHttpClient.Response response = target.send(body.post("/upload"));
        Responses.assertRefused(response, 400, "");
        baseline.assertRestored();
    }

    @Test
    void tempDirectory_isPrivate_andItsFilesAre0600() throws IOException {
        Target target = inspecting(Mode.STREAMED);
        assertEquals("rwx------", PosixFilePermissions.toString(Files.getPosixFilePermissions(target.tempDirectory())));
        Body body = Body.create().generatedFile("a", "a.bin", 1, 100_000).generatedFile("b", "b.bin", 2, 100_000).close();
        Map<String, Object> echo = assertEchoed(target.send(body.post("/upload")));
        assertEquals("rwx------", echo.get("rootPermissions"));
        for (Object f : (List<?>) echo.get("files")) {
            assertEquals("rw-------", ((Map<?, ?>) f).get("permissions"));
        }
    }

    @Test
    void storageNames_areDistinct_andCarry128RandomBits() {
        Target target = inspecting(Mode.STREAMED);
        Set<String> names = new HashSet<>();
        for (int i = 0; i < 20; i++) {
            Body body = Body.create();
            for (int f = 0; f < 10; f++) {
                body.file("f" + f, "same.txt", ("same content " + f).repeat(1000).getBytes(StandardCharsets.US_ASCII));
            }
            Map<String, Object> echo = assertEchoed(target.send(body.close().post("/upload")));
            for (Object f : (List<?>) echo.get("files")) {
                String name = (String) ((Map<?, ?>) f).get("storageName");
                assertTrue(name.matches(STORAGE_NAME), name);
                names.add(name);
            }
        }
        assertEquals(200, names.size(), "200 files, 200 names");
    }

    @Test
    void tempDirectoryPlantedAsASymlink_isRefusedAtStart_andItsTargetIsUntouched() throws IOException {
        Path victim = TARGETS.newDirectory("victim");
        Files.setPosixFilePermissions(victim, PosixFilePermissions.fromString("rwxr-xr-x"));
        Files.writeString(victim.resolve("keep.txt"), "precious");
        Path planted = victim.getParent().resolve("planted-spill");
        Files.createSymbolicLink(planted, victim);
        assertThrows(IllegalStateException.class, () -> Target.start(planted, Map.of()));
        assertEquals("rwxr-xr-x", PosixFilePermissions.toString(Files.getPosixFilePermissions(victim)));
        assertEquals(Set.of("keep.txt"), Baseline.files(victim));
        assertEquals("precious", Files.readString(victim.resolve("keep.txt")));
    }

    @Test
    void existingTempDirectory_writableByOthers_isRefusedAtStart_andLeftAsItWas() throws IOException {
        Path shared = TARGETS.newDirectory("shared-spill");
        Files.setPosixFilePermissions(shared, PosixFilePermissions.fromString("rwxrwxrwx"));
        assertThrows(IllegalStateException.class, () -> Target.start(shared, Map.of()));
        assertEquals("rwxrwxrwx", PosixFilePermissions.toString(Files.getPosixFilePermissions(shared)));
    }

    @Test
    void existingTempDirectory_readableByOthers_isMadePrivateAtStart() throws IOException {
        Path readable = TARGETS.newDirectory("readable-spill");
        Files.setPosixFilePermissions(readable, PosixFilePermissions.fromString("rwxr-xr-x"));
        try (Target target = Target.start(readable, Map.of())) {
            assertEquals("rwx------", PosixFilePermissions.toString(Files.getPosixFilePermissions(target.tempDirectory())));
        }
    }

    @Test
    void symlinkPlantedInsideTheTempDirectory_isNeverFollowed() throws IOException {
        Path victimDirectory = TARGETS.newDirectory("victim-file");
        Path victim = Files.writeString(victimDirectory.resolve("passwd"), "root:x:0:0");
        Path spill = TARGETS.newDirectory("planted-inside");
        Target target = Target.start(spill, Map.of("inMemoryThreshold", "0"));
        Path planted = Files.createSymbolicLink(spill.resolve(TempStorage.FILE_PREFIX + "planted.part"), victim);
        try {
            Body body = Body.create().generatedFile("doc", "x.bin", 3, 200_000).close();
            assertEquals(200, target.send(body.post("/upload")).status());
            target.filter().destroy();
        } finally {
            target.server().close();
        }
        assertEquals("root:x:0:0", Files.readString(victim));
        assertTrue(Files.isSymbolicLink(planted), "the planted link itself is not Spillway's to delete");
        TempStorage.deleteQuietly(planted);
    }
}
