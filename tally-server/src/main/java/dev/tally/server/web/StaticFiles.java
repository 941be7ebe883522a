package dev.tally.server.web;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * The dashboard's scripts, styles and the vendored libraries (htmx, uPlot, each with its licence),
 * read from the jar once at start and served from memory.
 */
final class StaticFiles {
    private static final List<String> FILES = List.of(
            "app.css",
            "app.js",
            "overview.js",
            "favicon.svg",
            "htmx.min.js",
            "htmx.LICENSE",
            "uPlot.iife.min.js",
            "uPlot.min.css",
            "uPlot.LICENSE");

    record File(String contentType, byte[] body) {}

    private final Map<String, File> files = new HashMap<>();

    StaticFiles() {
        for (String name : FILES) {
            try (InputStream in = StaticFiles.class.getResourceAsStream("static/" + name)) {
                if (in == null) {
                    throw new IllegalStateException("the jar lacks the dashboard file " + name);
                }
                files.put(name, new File(contentType(name), in.readAllBytes()));
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }
    }

    Optional<File> find(String name) {
        return Optional.ofNullable(files.get(name));
    }

    private static String contentType(String name) {
        if (name.endsWith(".js")) {
            return "text/javascript; charset=utf-8";
        }
        if (name.endsWith(".css")) {
            return "text/css; charset=utf-8";
        }
        if (name.endsWith(".svg")) {
            return "image/svg+xml";
        }
        return "text/plain; charset=utf-8";
    }
}
