package dev.appstrate.desktop.ui.agents;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.appstrate.desktop.client.DesktopJson;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.HashSet;
import javafx.collections.FXCollections;
import javafx.scene.Node;
import javafx.scene.control.CheckBox;
import javafx.scene.control.ComboBox;
import javafx.scene.control.Control;
import javafx.scene.control.Label;
import javafx.scene.control.TextArea;
import javafx.scene.control.TextField;
import javafx.scene.control.Tooltip;
import javafx.scene.layout.GridPane;
import javafx.scene.layout.Region;
import org.controlsfx.validation.Severity;
import org.controlsfx.validation.ValidationResult;
import org.controlsfx.validation.ValidationSupport;
import org.controlsfx.validation.Validator;

/**
 * A form generated from an agent's input JSON Schema ({@code manifest.input.schema}): one field per
 * property in {@code property_order} (or declaration) order, typed by {@code type}/{@code enum}, with
 * ControlsFX validation decorations for required fields and numbers.
 * JSON stays JsonNode here: an agent's input schema is free-form (whatever JSON Schema the author wrote).
 */
public final class InputForm {
    private final GridPane grid = new GridPane();
    private final ValidationSupport validation = new ValidationSupport();
    private final Map<String, Control> fields = new LinkedHashMap<>();
    private final Map<String, String> types = new LinkedHashMap<>();

    public InputForm(JsonNode input) {
        grid.setHgap(10);
        grid.setVgap(8);
        grid.setId("run-input-form");
        JsonNode schema = input.path("schema");
        JsonNode props = schema.path("properties");
        Set<String> required = new HashSet<>();
        schema.path("required").forEach(r -> required.add(r.asText()));
        List<String> order = new ArrayList<>();
        input.path("property_order").forEach(p -> order.add(p.asText()));
        for (Iterator<String> it = props.fieldNames(); it.hasNext(); ) {
            String n = it.next();
            if (!order.contains(n)) {
                order.add(n);
            }
        }
        int row = 0;
        for (String name : order) {
            JsonNode p = props.path(name);
            if (p.isMissingNode()) {
                continue;
            }
            Control c = field(name, p, input.path("ui_hints").path(name), required.contains(name));
            String title = p.path("title").asText(name) + (required.contains(name) ? " *" : "");
            Label label = new Label(title);
            label.setLabelFor(c);
            label.setMinWidth(Region.USE_PREF_SIZE); // a label is never cut to "n…"
            grid.addRow(row++, label, c);
            String desc = p.path("description").asText("");
            if (!desc.isEmpty()) {
                c.setTooltip(new Tooltip(desc));
                Label d = new Label(desc);
                d.getStyleClass().add("muted");
                d.setWrapText(true);
                d.setMaxWidth(420);
                grid.add(d, 1, row++);
            }
        }
        if (fields.isEmpty()) {
            grid.addRow(0, new Label("This agent takes no input."));
        }
    }

    private Control field(String name, JsonNode p, JsonNode hints, boolean required) {
        String type = p.path("type").isArray() ? p.path("type").get(0).asText() : p.path("type").asText("string");
        types.put(name, type);
        JsonNode def = p.get("default");
        Control c;
        if (p.has("enum")) {
            ComboBox<String> box = new ComboBox<>(FXCollections.observableArrayList());
            p.path("enum").forEach(v -> box.getItems().add(v.asText()));
            if (def != null) {
                box.setValue(def.asText());
            }
            if (required) {
                validation.registerValidator(box, Validator.createEmptyValidator(name + " is required"));
            }
            c = box;
        } else if (type.equals("boolean")) {
            CheckBox cb = new CheckBox();
            cb.setSelected(def != null && def.asBoolean());
            c = cb;
        } else {
            boolean multiline = "textarea".equals(hints.path("widget").asText()) || p.path("maxLength").asInt(0) > 200
                    || p.path("format").asText().equals("textarea");
            javafx.scene.control.TextInputControl t = multiline ? new TextArea() : new TextField();
            if (t instanceof TextArea ta) {
                ta.setPrefRowCount(4);
                ta.setWrapText(true);
            }
            // a placeholder only when the schema gives one: the description is the help line under the field already
            // ("Who to greet" read twice, inside and under an empty field)
            t.setPromptText(hints.path("placeholder").asText(""));
            if (def != null && !def.isNull()) {
                t.setText(def.isTextual() ? def.asText() : def.toString());
            }
            boolean numeric = type.equals("number") || type.equals("integer");
            validation.registerValidator(t, false, (Control ctl, String v) -> {
                String s = v == null ? "" : v.trim();
                if (s.isEmpty()) {
                    return ValidationResult.fromErrorIf(ctl, name + " is required", required);
                }
                if (numeric) {
                    try {
                        if (type.equals("integer")) {
                            Long.parseLong(s);
                        } else {
                            Double.parseDouble(s);
                        }
                    } catch (NumberFormatException e) {
                        return ValidationResult.fromMessages(
                                org.controlsfx.validation.ValidationMessage.error(ctl, name + " must be " + (type.equals("integer") ? "a whole number" : "a number")));
                    }
                }
                return ValidationResult.fromMessageIf(ctl, "", Severity.OK, false);
            });
            c = t;
        }
        c.setId("input-" + name);
        c.setPrefWidth(360);
        fields.put(name, c);
        return c;
    }

    public Node view() {
        return grid;
    }

    /** Puts saved values back into the fields (e.g. when editing a schedule's input). */
    @SuppressWarnings("unchecked")
    public void fill(JsonNode values) {
        if (values == null || !values.isObject()) {
            return;
        }
        fields.forEach((name, c) -> {
            JsonNode v = values.get(name);
            if (v == null || v.isNull()) {
                return;
            }
            if (c instanceof CheckBox cb) {
                cb.setSelected(v.asBoolean());
            } else if (c instanceof ComboBox<?> box) {
                ((ComboBox<String>) box).setValue(v.asText());
            } else if (c instanceof javafx.scene.control.TextInputControl t) {
                t.setText(v.isTextual() ? v.asText() : v.toString());
            }
        });
    }

    public ValidationSupport validation() {
        return validation;
    }

    /** How many fields the schema gave (one per property). */
    public int fieldCount() {
        return fields.size();
    }

    public boolean valid() {
        return !Boolean.TRUE.equals(validation.isInvalid());
    }

    /** The typed input object to send; empty optional fields are left out so the agent's defaults apply. */
    public ObjectNode values() {
        ObjectNode out = DesktopJson.object();
        fields.forEach((name, c) -> {
            String type = types.get(name);
            if (c instanceof CheckBox cb) {
                out.put(name, cb.isSelected());
            } else if (c instanceof ComboBox<?> box) {
                if (box.getValue() != null) {
                    out.put(name, box.getValue().toString());
                }
            } else if (c instanceof javafx.scene.control.TextInputControl t) {
                String s = t.getText() == null ? "" : t.getText().trim();
                if (s.isEmpty()) {
                    return;
                }
                switch (type) {
                    case "integer" -> out.put(name, Long.parseLong(s));
                    case "number" -> out.put(name, Double.parseDouble(s));
                    case "object", "array" -> {
                        try {
                            out.set(name, DesktopJson.MAPPER.readTree(s));
                        } catch (Exception e) {
                            out.put(name, s);
                        }
                    }
                    default -> out.put(name, s);
                }
            }
        });
        return out;
    }
}
