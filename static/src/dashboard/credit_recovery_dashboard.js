import { Component, onWillStart, useState } from "@odoo/owl";
import { _t } from "@web/core/l10n/translation";
import { formatFloat } from "@web/core/utils/numbers";
import { registry } from "@web/core/registry";
import { useService } from "@web/core/utils/hooks";
import { Layout } from "@web/search/layout";
import { standardActionServiceProps } from "@web/webclient/actions/action_service";

const MODEL = "credit.recovery.dashboard";
const ACTION = "credit.recovery.action";
const TILE_ICONS = {
    calls: "fa-phone",
    letters: "fa-envelope-o",
    to_validate: "fa-gavel",
    promises: "fa-handshake-o",
    plans: "fa-calendar",
    disputes: "fa-exclamation-triangle",
    reviews: "fa-search",
    reconcile: "fa-exchange",
    einvoice_approved: "fa-check-circle",
    einvoice_contested: "fa-ban",
    portal_requests: "fa-user-circle",
};
// Size of the small graphs, in SVG units.
const GRAPH = { width: 320, height: 120, padding: 4 };

/**
 * The credit controller's day: tiles, today's calls, the letters to print, the notices to validate, the
 * overdue trend and the aged buckets. Fed by one call of credit.recovery.dashboard.get_dashboard_data.
 */
export class CreditRecoveryDashboard extends Component {
    static template = "account_credit_recovery.Dashboard";
    static components = { Layout };
    static props = { ...standardActionServiceProps };

    setup() {
        this.orm = useService("orm");
        this.actionService = useService("action");
        this.notification = useService("notification");
        this.icons = TILE_ICONS;
        // null: the server chooses (the team's work for Credit Managers, one's own for the others).
        this.state = useState({ data: null, everyone: null, openScript: null });
        this.env.config.setDisplayName(this.props.action.name);
        onWillStart(() => this.load());
    }

    async load() {
        this.state.data = await this.orm.call(MODEL, "get_dashboard_data", [], {
            everyone: this.state.everyone,
        });
        this.state.everyone = this.state.data.everyone;
    }

    formatAmount(value) {
        if (value === null || value === undefined) {
            return "";
        }
        const { symbol, position, digits } = this.state.data.currency;
        const number = formatFloat(value, { digits: [false, digits] });
        return position === "after" ? `${number}\u00a0${symbol}` : `${symbol}\u00a0${number}`;
    }

    async toggleEveryone() {
        this.state.everyone = !this.state.everyone;
        await this.load();
    }

    toggleScript(call) {
        this.state.openScript = this.state.openScript === call.id ? null : call.id;
    }

    async openTile(tile) {
        const action = await this.orm.call(MODEL, "action_open_dashboard_tile", [tile.key], {
            everyone: this.state.everyone,
        });
        await this.actionService.doAction(action);
    }

    async openRecord(model, id) {
        await this.actionService.doAction({
            type: "ir.actions.act_window",
            res_model: model,
            res_id: id,
            views: [[false, "form"]],
            target: "current",
        });
    }

    async logCall(call) {
        const action = await this.orm.call(ACTION, "action_log_call", [[call.id]]);
        await this.actionService.doAction(action, { onClose: () => this.load() });
    }

    get reminderLetters() {
        return this.state.data.letters.filter((letter) => !letter.formal_notice);
    }

    get formalNotices() {
        return this.state.data.letters.filter((letter) => letter.formal_notice);
    }

    async printLetters(letters) {
        const ids = letters.map((letter) => letter.id);
        const action = await this.orm.call(ACTION, "action_print_letter", [ids]);
        await this.actionService.doAction(action);
        await this.load();
    }

    async validateNotice(notice) {
        await this.orm.call(ACTION, "action_validate", [[notice.id]]);
        this.notification.add(_t("Formal notice of %s validated.", notice.partner), { type: "success" });
        await this.load();
    }

    /** Points of a line graph of ``series`` ([{label, value}]), as an SVG polyline. */
    linePoints(series) {
        const { width, height, padding } = GRAPH;
        const values = series.map((point) => point.value);
        const max = Math.max(...values, 0);
        const min = Math.min(...values, 0);
        const span = max - min || 1;
        const step = series.length > 1 ? (width - 2 * padding) / (series.length - 1) : 0;
        return series
            .map((point, index) => {
                const x = padding + index * step;
                const y = height - padding - ((point.value - min) / span) * (height - 2 * padding);
                return `${x.toFixed(1)},${y.toFixed(1)}`;
            })
            .join(" ");
    }

    /** Bars of a bar graph of ``series``: [{x, y, width, height, label, value}]. */
    bars(series) {
        const { width, height, padding } = GRAPH;
        const max = Math.max(...series.map((point) => Math.abs(point.value)), 0) || 1;
        const slot = (width - 2 * padding) / (series.length || 1);
        return series.map((point, index) => {
            const barHeight = (Math.abs(point.value) / max) * (height - 2 * padding);
            return {
                x: padding + index * slot + slot * 0.15,
                y: height - padding - barHeight,
                width: slot * 0.7,
                height: barHeight,
                label: point.label,
                value: point.value,
            };
        });
    }

    get trendFirst() {
        return this.state.data.overdue_trend[0] || {};
    }

    get trendLast() {
        const trend = this.state.data.overdue_trend;
        return trend[trend.length - 1] || {};
    }

    get graph() {
        return GRAPH;
    }
}

registry.category("actions").add("account_credit_recovery.dashboard", CreditRecoveryDashboard);
