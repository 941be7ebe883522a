package dev.tally.server.web;

import gg.jte.ContentType;
import gg.jte.TemplateEngine;
import gg.jte.output.StringOutput;

/**
 * The precompiled jte templates (generated and compiled at build time by jte-maven-plugin): nothing
 * is compiled at run time, and jte escapes every value for HTML.
 */
final class Templates {
    private final TemplateEngine engine =
            TemplateEngine.createPrecompiled(null, ContentType.Html, null, "dev.tally.server.web.templates");

    String render(String template, Object model) {
        StringOutput output = new StringOutput(8192);
        engine.render(template, model, output);
        return output.toString();
    }

    WebResponse page(String template, Object model) {
        return WebResponse.html(200, render(template, model));
    }
}
