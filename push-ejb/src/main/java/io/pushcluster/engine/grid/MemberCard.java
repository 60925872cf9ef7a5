package io.pushcluster.engine.grid;

import jakarta.json.Json;
import jakarta.json.JsonArrayBuilder;
import jakarta.json.JsonException;
import jakarta.json.JsonObject;
import jakarta.json.JsonReader;
import jakarta.json.JsonString;
import java.io.StringReader;
import java.util.List;
import java.util.Optional;

/**
 * What a member publishes about itself in the grid: its name on the ring, its weight, and the
 * public addresses clients use to reach it. Travels as JSON text, so that no member ever has to
 * deserialize another member's classes.
 */
public record MemberCard(String name, int weight, List<String> webSocket, List<String> tcp) {

    public MemberCard {
        webSocket = List.copyOf(webSocket);
        tcp = List.copyOf(tcp);
    }

    public String toJson() {
        return Json.createObjectBuilder()
                .add("name", name)
                .add("weight", weight)
                .add("ws", array(webSocket))
                .add("tcp", array(tcp))
                .build().toString();
    }

    /** The card a JSON text describes; empty when the text is not one (a member of another version). */
    public static Optional<MemberCard> fromJson(String json) {
        try (JsonReader reader = Json.createReader(new StringReader(json))) {
            JsonObject object = reader.readObject();
            int weight = object.getInt("weight");
            String name = object.getString("name");
            if (name.isEmpty() || weight <= 0) {
                return Optional.empty();
            }
            return Optional.of(new MemberCard(name, weight, strings(object, "ws"), strings(object, "tcp")));
        } catch (JsonException | ClassCastException | NullPointerException e) {
            return Optional.empty();
        }
    }

    private static JsonArrayBuilder array(List<String> values) {
        JsonArrayBuilder array = Json.createArrayBuilder();
        values.forEach(array::add);
        return array;
    }

    private static List<String> strings(JsonObject object, String name) {
        return object.getJsonArray(name).getValuesAs(JsonString.class).stream().map(JsonString::getString).toList();
    }
}
