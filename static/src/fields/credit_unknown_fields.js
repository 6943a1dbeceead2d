import { registry } from "@web/core/registry";
import { FloatField, floatField } from "@web/views/fields/float/float_field";
import { MonetaryField, monetaryField } from "@web/views/fields/monetary/monetary_field";

/**
 * A figure nobody entered, or that cannot be computed (a DSO without sales), is unknown: shown empty with
 * a "-" placeholder, never as 0. ``options="{'known_field': 'flag'}"`` names the boolean telling that the
 * figure is known; without it a zero is unknown (the solvency score: 0 means not known).
 */
function isUnknown(props) {
    const { record, name, knownField } = props;
    return !record.data[name] && (!knownField || !record.data[knownField]);
}

function extractProps(field) {
    return (fieldInfo, dynamicInfo) => ({
        ...field.extractProps(fieldInfo, dynamicInfo),
        knownField: fieldInfo.options.known_field,
        placeholder: fieldInfo.placeholder || "-",
    });
}

export class CreditUnknownFloatField extends FloatField {
    static props = { ...FloatField.props, knownField: { type: String, optional: true } };

    get formattedValue() {
        return isUnknown(this.props) ? "" : super.formattedValue;
    }
}

export class CreditUnknownMonetaryField extends MonetaryField {
    static props = { ...MonetaryField.props, knownField: { type: String, optional: true } };

    get formattedValue() {
        return isUnknown(this.props) ? "" : super.formattedValue;
    }
}

registry.category("fields").add("credit_unknown_float", {
    ...floatField,
    component: CreditUnknownFloatField,
    extractProps: extractProps(floatField),
});
registry.category("fields").add("credit_unknown_monetary", {
    ...monetaryField,
    component: CreditUnknownMonetaryField,
    extractProps: extractProps(monetaryField),
});
