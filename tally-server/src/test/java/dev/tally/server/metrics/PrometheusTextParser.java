package dev.tally.server.metrics;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assumptions.assumeThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.tally.json.TallyJson;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * The Prometheus text format parsed by a parser we did not write: the official Python client's
 * ({@code prometheus_client.parser}, Debian's python3-prometheus-client, which .ci/run installs). A
 * line it cannot parse fails the test. Without it the tests skip, saying so; under CI they fail.
 */
public final class PrometheusTextParser {
    private static final String PYTHON = "/usr/bin/python3";
    private static final String SCRIPT = String.join(
            "\n",
            "import json, sys",
            "from prometheus_client.parser import text_string_to_metric_families",
            "out = []",
            "for family in text_string_to_metric_families(open(sys.argv[1], encoding='utf-8').read()):",
            "    for s in family.samples:",
            "        out.append({'family': family.name, 'type': family.type, 'name': s.name,"
                    + " 'labels': s.labels, 'value': s.value})",
            "print(json.dumps(out))");

    /** One sample: metric name, labels and value. */
    public record Sample(String family, String type, String name, Map<String, String> labels, double value) {}

    private PrometheusTextParser() {}

    /** Skips the calling test (fails under CI) when the parser is not installed. */
    public static void assumeInstalled() throws IOException, InterruptedException {
        boolean installed = Files.isExecutable(Path.of(PYTHON)) && run("-c", "import prometheus_client.parser") == 0;
        if (!installed && "true".equals(System.getenv("CI"))) {
            throw new AssertionError("CI must install python3-prometheus-client (see .ci/run)");
        }
        assumeThat(installed)
                .as("the Prometheus text parser is not installed: apt-get install python3-prometheus-client")
                .isTrue();
    }

    public static List<Sample> parse(String exposition) throws IOException, InterruptedException {
        Path text = Files.createTempFile("tally-metrics", ".txt");
        Path script = Files.createTempFile("tally-parse", ".py");
        try {
            Files.writeString(text, exposition, StandardCharsets.UTF_8);
            Files.writeString(script, SCRIPT, StandardCharsets.UTF_8);
            Process process = new ProcessBuilder(PYTHON, script.toString(), text.toString()).start();
            byte[] stdout = process.getInputStream().readAllBytes();
            String stderr = new String(process.getErrorStream().readAllBytes(), StandardCharsets.UTF_8);
            assertThat(process.waitFor(30, TimeUnit.SECONDS)).isTrue();
            assertThat(process.exitValue())
                    .as("the Prometheus parser refused the exposition: " + stderr)
                    .isZero();
            List<Sample> samples = new ArrayList<>();
            for (JsonNode node : TallyJson.mapper().readTree(stdout)) {
                Map<String, String> labels = new LinkedHashMap<>();
                node.get("labels")
                        .properties()
                        .forEach(e -> labels.put(e.getKey(), e.getValue().asText()));
                samples.add(new Sample(
                        node.get("family").asText(),
                        node.get("type").asText(),
                        node.get("name").asText(),
                        labels,
                        node.get("value").asDouble()));
            }
            return samples;
        } finally {
            Files.deleteIfExists(text);
            Files.deleteIfExists(script);
        }
    }

    /** The value of the one sample with this name and these labels (others may be present), or 0 if none. */
    public static double value(List<Sample> samples, String name, Map<String, String> labels) {
        return samples.stream()
                .filter(s -> s.name().equals(name) && s.labels().entrySet().containsAll(labels.entrySet()))
                .mapToDouble(Sample::value)
                .sum();
    }

    private static int run(String... arguments) throws IOException, InterruptedException {
        List<String> command = new ArrayList<>();
        command.add(PYTHON);
        command.addAll(List.of(arguments));
        Process process = new ProcessBuilder(command).redirectErrorStream(true).start();
        process.getInputStream().readAllBytes();
        return process.waitFor(30, TimeUnit.SECONDS) ? process.exitValue() : -1;
    }
}
