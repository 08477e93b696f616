package io.spillway.servlet.hardening;

import io.spillway.core.config.SpillwayConfig;
import io.spillway.core.routing.Route;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;

/**
 * One way through the filter that every multipart case runs on: a route forced by configuration
 * and a multipart parser.
 *
 * <ul>
 *   <li>BUFFERED: {@code inMemoryThreshold} far above any test body and plenty of (fake) memory,
 *       so every body of known length is held in memory under a budget reservation;</li>
 *   <li>STREAMED: {@code inMemoryThreshold=0}, so every part beyond its inline bytes goes to a
 *       temp file.</li>
 * </ul>
 *
 * @param route  the route the configuration forces
 * @param parser the {@code parser} init-param
 */
record Mode(Route.Kind route, String parser) {

    /**
     * The parsers the filter offers; every multipart case runs with each. (A buffered body of known
     * length is always read by FileUpload2; the parser applies to the streamed route and to bodies
     * of unknown length.)
     */
    static final List<String> PARSERS = List.of(SpillwayConfig.PARSER_FILEUPLOAD2, SpillwayConfig.PARSER_FAST);

    static final Mode BUFFERED = new Mode(Route.Kind.BUFFERED, SpillwayConfig.PARSER_FILEUPLOAD2);
    static final Mode STREAMED = new Mode(Route.Kind.STREAMED, SpillwayConfig.PARSER_FILEUPLOAD2);

    /** Both routes with every parser. */
    static Stream<Mode> all() {
        return PARSERS.stream().flatMap(p -> Stream.of(new Mode(Route.Kind.BUFFERED, p), new Mode(Route.Kind.STREAMED, p)));
    }

    /** The init-params that force this mode. */
    Map<String, String> params() {
        return Map.of("inMemoryThreshold", route == Route.Kind.BUFFERED ? "1GB" : "0", "parser", parser);
    }

    boolean buffered() {
        return route == Route.Kind.BUFFERED;
    }

    @Override
    public String toString() {
        return route + "/" + parser;
    }
}
