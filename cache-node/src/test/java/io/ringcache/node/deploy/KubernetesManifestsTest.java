package io.ringcache.node.deploy;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonMappingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import io.fabric8.kubernetes.api.model.Secret;
import io.fabric8.kubernetes.api.model.Service;
import io.fabric8.kubernetes.api.model.apps.StatefulSet;
import io.fabric8.kubernetes.api.model.policy.v1.PodDisruptionBudget;
import io.fabric8.openshift.api.model.monitoring.v1.ServiceMonitor;
import java.io.IOException;
import java.lang.reflect.Method;
import java.lang.reflect.Modifier;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collection;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * The manifests in {@code deploy/kubernetes} against the Kubernetes API types (fabric8's model,
 * generated from the API's OpenAPI schema, for the API versions the manifests name): every
 * document is a kind this test knows, every field is one the type defines (a misspelt field
 * lands in the type's "additional properties" and fails here, where a cluster would drop it with
 * a warning or refuse it) and every value has the field's type. There is no cluster here to
 * dry-run against; this is the check a schema validator such as kubeconform makes.
 */
class KubernetesManifestsTest {

  private static final Path DIR = Path.of("..", "deploy", "kubernetes");

  /** The API group/version and kind of every document the manifests may hold, and its type. */
  private static final Map<String, Class<?>> TYPES = Map.of(
      "v1/Secret", Secret.class,
      "v1/Service", Service.class,
      "policy/v1/PodDisruptionBudget", PodDisruptionBudget.class,
      "apps/v1/StatefulSet", StatefulSet.class,
      "monitoring.coreos.com/v1/ServiceMonitor", ServiceMonitor.class);

  private static final ObjectMapper YAML = new ObjectMapper(new YAMLFactory())
      .enable(DeserializationFeature.FAIL_ON_NULL_FOR_PRIMITIVES);

  static Stream<Path> manifests() throws IOException {
    try (Stream<Path> files = Files.list(DIR)) {
      return files.filter(f -> f.toString().endsWith(".yaml")).sorted().toList().stream();
    }
  }

  @ParameterizedTest
  @MethodSource("manifests")
  void everyDocument_isAKnownKind_withOnlyFieldsOfItsType(Path file) throws IOException {
    List<JsonNode> documents = documents(Files.readString(file));
    assertThat(documents).as("documents in %s", file).isNotEmpty();
    for (JsonNode doc : documents) {
      assertThat(problems(doc)).as("%s: %s", file.getFileName(), name(doc)).isEmpty();
    }
  }

  @Test
  void theManifests_holdTheWorkloadAndItsMonitoring() throws IOException {
    List<String> kinds = new ArrayList<>();
    for (Path file : manifests().toList()) {
      documents(Files.readString(file)).forEach(d -> kinds.add(d.path("kind").asText()));
    }
    assertThat(kinds).contains("StatefulSet", "Service", "PodDisruptionBudget", "ServiceMonitor");
  }

  @Test
  void aMisspeltField_aWrongType_andAnUnknownKind_areCaught() throws IOException {
    JsonNode typo = documents("""
        apiVersion: apps/v1
        kind: StatefulSet
        metadata: {name: x}
        spec:
          serviceName: x
          selector: {matchLabels: {a: b}}
          template:
            metadata: {labels: {a: b}}
            spec:
              containers:
                - name: node
                  image: ringcache
                  readinessProbe: {httpGet: {path: /health/ready, prot: 8080}}
        """).get(0);
    JsonNode wrongType = documents("""
        apiVersion: v1
        kind: Service
        metadata: {name: x}
        spec: {ports: {port: 80}}
        """).get(0);
    JsonNode unknownKind = documents("""
        apiVersion: v1
        kind: Servise
        metadata: {name: x}
        """).get(0);

    assertThat(problems(typo)).singleElement().asString()
        .contains("spec.template.spec.containers[0].readinessProbe.httpGet", "prot");
    assertThat(problems(wrongType)).singleElement().asString().contains("spec.ports");
    assertThat(problems(unknownKind)).singleElement().asString().contains("v1/Servise");
  }

  private static List<JsonNode> documents(String yaml) throws IOException {
    List<JsonNode> out = new ArrayList<>();
    try (var parser = YAML.getFactory().createParser(yaml)) {
      YAML.readValues(parser, JsonNode.class).forEachRemaining(d -> {
        if (d != null && !d.isNull() && !d.isEmpty()) {
          out.add(d);
        }
      });
    }
    return out;
  }

  private static String name(JsonNode doc) {
    return doc.path("kind").asText() + " " + doc.path("metadata").path("name").asText();
  }

  /** What is wrong with {@code doc}, one line each; empty when it fits its type. */
  private static List<String> problems(JsonNode doc) {
    String key = doc.path("apiVersion").asText() + "/" + doc.path("kind").asText();
    Class<?> type = TYPES.get(key);
    if (type == null) {
      return List.of("no known type for " + key + " (known: " + TYPES.keySet() + ")");
    }
    Object typed;
    try {
      typed = YAML.treeToValue(doc, type);
    } catch (JsonMappingException e) {
      String at = e.getPath().stream().map(r -> r.getFieldName() != null ? r.getFieldName()
          : "[" + r.getIndex() + "]").reduce((a, b) -> b.startsWith("[") ? a + b : a + "." + b)
          .orElse("the top");
      return List.of(key + ": wrong type at " + at + ": "
          + e.getOriginalMessage().lines().findFirst().orElse(""));
    } catch (IOException | IllegalArgumentException e) {
      return List.of(key + ": " + e.getMessage().lines().findFirst().orElse(""));
    }
    List<String> unknown = new ArrayList<>();
    walk(typed, "", unknown, java.util.Collections.newSetFromMap(new IdentityHashMap<>()));
    return unknown;
  }

  /** Collects every non-empty "additional properties" map below {@code o}, with its path. */
  private static void walk(Object o, String path, List<String> unknown, Set<Object> seen) {
    if (o == null || !o.getClass().getName().startsWith("io.fabric8.") || !seen.add(o)) {
      return;
    }
    for (Method m : o.getClass().getMethods()) {
      if (m.getParameterCount() != 0 || Modifier.isStatic(m.getModifiers())
          || !m.getName().startsWith("get") || m.getDeclaringClass() == Object.class) {
        continue;
      }
      Object value;
      try {
        value = m.invoke(o);
      } catch (ReflectiveOperationException e) {
        continue;
      }
      if (m.getName().equals("getAdditionalProperties")) {
        if (value instanceof Map<?, ?> extra && !extra.isEmpty()) {
          unknown.add("unknown field(s) at " + (path.isEmpty() ? "the top" : path) + ": "
              + extra.keySet());
        }
        continue;
      }
      String field = Character.toLowerCase(m.getName().charAt(3)) + m.getName().substring(4);
      String at = path.isEmpty() ? field : path + "." + field;
      if (value instanceof Collection<?> items) {
        int i = 0;
        for (Object item : items) {
          walk(item, at + "[" + i++ + "]", unknown, seen);
        }
      } else if (value instanceof Map<?, ?> map) {
        for (Map.Entry<?, ?> e : map.entrySet()) {
          walk(e.getValue(), at + "." + e.getKey(), unknown, seen);
        }
      } else {
        walk(value, at, unknown, seen);
      }
    }
  }
}
