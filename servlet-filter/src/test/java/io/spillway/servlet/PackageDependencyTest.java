package io.spillway.servlet;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/**
 * The filter's packages depend on each other one way only: servlet -> resumable -> protocol and
 * servlet -> protocol. Read from the import lines of the main sources.
 */
class PackageDependencyTest {

    private static final Path SOURCES = Path.of("src/main/java/io/spillway/servlet");
    private static final Pattern SERVLET_IMPORT = Pattern.compile("^import (?:static )?io\\.spillway\\.servlet\\.(.+);$",
            Pattern.MULTILINE);

    @Test
    void protocolPackage_importsNothingOfTheFilterOrTheProtocols() throws IOException {
        assertEquals(List.of(), servletImports("protocol"));
    }

    @Test
    void resumablePackage_importsOnlyTheProtocolContract() throws IOException {
        List<String> imports = servletImports("resumable");
        assertFalse(imports.isEmpty(), "the protocols implement the contract, so they import it");
        assertEquals(List.of(), imports.stream().filter(i -> !i.startsWith("protocol.")).toList());
    }

    private static List<String> servletImports(String subpackage) throws IOException {
        try (Stream<Path> files = Files.list(SOURCES.resolve(subpackage))) {
            return files.filter(f -> f.toString().endsWith(".java"))
                    .flatMap(PackageDependencyTest::servletImportsOf)
                    .filter(imported -> !imported.startsWith(subpackage + "."))
                    .sorted().toList();
        }
    }

    private static Stream<String> servletImportsOf(Path file) {
        try {
            Matcher matcher = SERVLET_IMPORT.matcher(Files.readString(file));
            Stream.Builder<String> found = Stream.builder();
            while (matcher.find()) {
                found.add(matcher.group(1));
            }
            return found.build();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
