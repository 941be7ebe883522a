package dev.tally.server.openapi;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.networknt.schema.AbsoluteIri;
import com.networknt.schema.Schema;
import com.networknt.schema.SchemaLocation;
import com.networknt.schema.SchemaRegistry;
import com.networknt.schema.dialect.Dialects;
import com.networknt.schema.path.NodePath;
import com.networknt.schema.path.PathType;
import dev.tally.json.TallyJson;
import io.swagger.v3.oas.models.OpenAPI;
import io.swagger.v3.oas.models.Operation;
import io.swagger.v3.oas.models.PathItem;
import io.swagger.v3.oas.models.examples.Example;
import io.swagger.v3.oas.models.media.MediaType;
import io.swagger.v3.oas.models.parameters.Parameter;
import io.swagger.v3.oas.models.responses.ApiResponse;
import io.swagger.v3.parser.OpenAPIV3Parser;
import io.swagger.v3.parser.core.models.ParseOptions;
import io.swagger.v3.parser.core.models.SwaggerParseResult;
import java.net.URL;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;

/**
 * One version of Intercom's published OpenAPI description, as kept in {@code src/test/resources/openapi}
 * by {@code src/test/openapi/extract}: read by swagger-parser, its schemas compiled by networknt's
 * validator in the OpenAPI 3.0 dialect ({@code nullable}, {@code $ref} into the same document).
 */
final class IntercomDescription {
    static final List<String> VERSIONS =
            List.of("2.7", "2.8", "2.9", "2.10", "2.11", "2.12", "2.13", "2.14", "2.15", "2.16");

    private final String version;
    private final OpenAPI openApi;
    private final SchemaRegistry schemas;
    private final AbsoluteIri document;

    private IntercomDescription(String version, OpenAPI openApi, SchemaRegistry schemas, AbsoluteIri document) {
        this.version = version;
        this.openApi = openApi;
        this.schemas = schemas;
        this.document = document;
    }

    static IntercomDescription load(String version) {
        URL resource = Objects.requireNonNull(
                IntercomDescription.class.getResource("/openapi/" + version + ".yaml"), "no description " + version);
        ParseOptions options = new ParseOptions();
        options.setResolve(true);
        options.setResolveFully(true);
        SwaggerParseResult parsed = new OpenAPIV3Parser().readLocation(resource.toString(), null, options);
        if (parsed.getOpenAPI() == null) {
            throw new IllegalStateException("description " + version + " does not parse: " + parsed.getMessages());
        }
        SchemaRegistry schemas = SchemaRegistry.withDefaultDialect(Dialects.getOpenApi30());
        return new IntercomDescription(
                version, parsed.getOpenAPI(), schemas, AbsoluteIri.of("classpath:openapi/" + version + ".yaml"));
    }

    String version() {
        return version;
    }

    List<DescribedOperation> operations() {
        List<DescribedOperation> operations = new ArrayList<>();
        openApi.getPaths().forEach((path, item) -> item.readOperationsMap()
                .forEach((method, operation) -> operations.add(new DescribedOperation(path, method, operation))));
        return operations;
    }

    /** The schema a documented answer's JSON body has, resolved within this description. */
    Schema responseSchema(DescribedOperation operation, String status) {
        return schema(operationPointer(operation)
                .append("responses")
                .append(status)
                .append("content")
                .append("application/json")
                .append("schema"));
    }

    /** The schema of an operation's JSON request body. */
    Schema requestSchema(DescribedOperation operation) {
        return schema(operationPointer(operation)
                .append("requestBody")
                .append("content")
                .append("application/json")
                .append("schema"));
    }

    /** Intercom's {@code error} schema: the body of every error answer. */
    Schema errorSchema() {
        return schema(new NodePath(PathType.JSON_POINTER)
                .append("components")
                .append("schemas")
                .append("error"));
    }

    private static NodePath operationPointer(DescribedOperation operation) {
        return new NodePath(PathType.JSON_POINTER)
                .append("paths")
                .append(operation.path())
                .append(operation.method().name().toLowerCase(Locale.ROOT));
    }

    private Schema schema(NodePath pointer) {
        return schemas.getSchema(new SchemaLocation(document, pointer));
    }

    /** An operation of the description: its path as Intercom spells it, its method, its text. */
    record DescribedOperation(String path, PathItem.HttpMethod method, Operation operation) {
        String id() {
            return operation.getOperationId();
        }

        Optional<ApiResponse> response(int status) {
            return Optional.ofNullable(operation.getResponses().get(String.valueOf(status)));
        }

        boolean documentsJsonBody(int status) {
            return response(status)
                    .map(ApiResponse::getContent)
                    .map(content -> content.get("application/json"))
                    .map(MediaType::getSchema)
                    .isPresent();
        }

        List<Parameter> parameters(String in) {
            List<Parameter> parameters = operation.getParameters() == null ? List.of() : operation.getParameters();
            return parameters.stream().filter(p -> in.equals(p.getIn())).toList();
        }

        /**
         * The request bodies to send, by name: the description's own examples, or one body built from
         * its schema's examples where it has none; none for an operation without a body.
         */
        Map<String, ObjectNode> requestBodies() {
            Map<String, ObjectNode> bodies = new LinkedHashMap<>();
            if (operation.getRequestBody() == null
                    || operation.getRequestBody().getContent() == null
                    || operation.getRequestBody().getContent().get("application/json") == null) {
                return bodies;
            }
            MediaType json = operation.getRequestBody().getContent().get("application/json");
            Map<String, Example> examples = json.getExamples() == null ? Map.of() : json.getExamples();
            examples.forEach(
                    (name, example) -> bodies.put("example '" + name + "'", (ObjectNode) tree(example.getValue())));
            if (bodies.isEmpty() && json.getSchema() != null) {
                fromSchemaExamples(json.getSchema())
                        .ifPresent(body -> bodies.put("body built from the schema's examples", (ObjectNode) body));
            }
            return bodies;
        }
    }

    /** A value made of the examples of a schema's properties, recursively; empty where it has none. */
    static Optional<JsonNode> fromSchemaExamples(io.swagger.v3.oas.models.media.Schema<?> schema) {
        if (schema.getExample() != null) {
            return Optional.of(tree(schema.getExample()));
        }
        if (schema.getOneOf() != null && !schema.getOneOf().isEmpty()) {
            return fromSchemaExamples(schema.getOneOf().get(0));
        }
        ObjectNode object = TallyJson.mapper().createObjectNode();
        if (schema.getAllOf() != null) {
            for (io.swagger.v3.oas.models.media.Schema<?> part : schema.getAllOf()) {
                fromSchemaExamples(part)
                        .filter(JsonNode::isObject)
                        .ifPresent(value -> object.setAll((ObjectNode) value));
            }
        }
        if (schema.getProperties() != null) {
            schema.getProperties().forEach((name, property) -> fromSchemaExamples(property)
                    .ifPresent(value -> object.set(name, value)));
        }
        if (!object.isEmpty()) {
            return Optional.of(object);
        }
        if (schema.getItems() != null) {
            Optional<JsonNode> item = fromSchemaExamples(schema.getItems());
            if (item.isPresent()) {
                ArrayNode array = TallyJson.mapper().createArrayNode();
                array.add(item.get());
                return Optional.of(array);
            }
        }
        return Optional.empty();
    }

    private static JsonNode tree(Object value) {
        return TallyJson.mapper().valueToTree(value);
    }
}
