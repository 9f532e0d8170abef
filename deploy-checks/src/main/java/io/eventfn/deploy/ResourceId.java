package io.eventfn.deploy;

import tools.jackson.databind.JsonNode;

/** What identifies a Kubernetes resource in a kustomization: group, version, kind and name. */
public record ResourceId(String group, String version, String kind, String name) {

    public static ResourceId of(JsonNode resource) {
        String apiVersion = resource.path("apiVersion").asString("");
        int slash = apiVersion.indexOf('/');
        String group = slash < 0 ? "" : apiVersion.substring(0, slash);
        String version = slash < 0 ? apiVersion : apiVersion.substring(slash + 1);
        return new ResourceId(group, version, resource.path("kind").asString(""),
                resource.path("metadata").path("name").asString(""));
    }

    /** Kinds of the Kubernetes API itself, whose lists merge by key in a strategic-merge patch (CRDs' lists are replaced). */
    public boolean isBuiltIn() {
        return !group.contains(".") || group.endsWith(".k8s.io");
    }

    @Override
    public String toString() {
        return (group.isEmpty() ? "" : group + "/") + version + " " + kind + " " + name;
    }
}
