package dev.tally.server.web;

import static java.util.Objects.requireNonNull;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

/** What a page answers: a status, a content type, headers (cookies may repeat) and a body. */
public record WebResponse(int status, String contentType, List<Header> headers, byte[] body) {
    public record Header(String name, String value) {
        public Header {
            requireNonNull(name, "name is null");
            requireNonNull(value, "value is null");
        }
    }

    public WebResponse {
        requireNonNull(contentType, "contentType is null");
        headers = List.copyOf(headers);
        requireNonNull(body, "body is null");
    }

    public static WebResponse html(int status, String html) {
        return new WebResponse(status, "text/html; charset=utf-8", List.of(), html.getBytes(StandardCharsets.UTF_8));
    }

    /** 303: after a form, the browser follows with a GET, so reloading never posts twice. */
    public static WebResponse redirect(String location) {
        return new WebResponse(
                303, "text/plain; charset=utf-8", List.of(new Header("Location", location)), new byte[0]);
    }

    public WebResponse withHeader(String name, String value) {
        List<Header> more = new ArrayList<>(headers);
        more.add(new Header(name, value));
        return new WebResponse(status, contentType, more, body);
    }
}
