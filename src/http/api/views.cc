#include "http/api/views.h"

namespace rapport::http::api {
namespace {
using nlohmann::json;
}  // namespace

json TimeOrNull(const std::optional<Instant>& t) { return t ? json(FormatRfc3339(*t)) : json(nullptr); }

json TicketJson(const Ticket& t) {
  return {
      {"id", t.id.value},
      {"number", t.number},
      {"subject", t.subject},
      {"client_id", IdOrNull(t.client_id)},
      {"contact_id", t.contact_id.value},
      {"channel", Name(t.channel)},
      {"status", Name(t.status)},
      {"priority", Name(t.priority)},
      {"assignee_id", IdOrNull(t.assignee_id)},
      {"tags", t.tags},
      {"created_at", FormatRfc3339(t.created_at)},
      {"updated_at", FormatRfc3339(t.updated_at)},
      {"last_message_at", FormatRfc3339(t.last_message_at)},
      {"resolved_at", TimeOrNull(t.resolved_at)},
      {"closed_at", TimeOrNull(t.closed_at)},
      {"first_response_due_at", TimeOrNull(t.first_response_due_at)},
      {"next_response_due_at", TimeOrNull(t.next_response_due_at)},
      {"resolution_due_at", TimeOrNull(t.resolution_due_at)},
      {"sla_state", Name(t.sla_state)},
  };
}

json TicketRowJson(const app::TicketRow& row) {
  json out = TicketJson(row.ticket);
  out["client_name"] = row.client_name.empty() ? json(nullptr) : json(row.client_name);
  out["contact_name"] = row.contact_name;
  out["contact_email"] = row.contact_email.empty() ? json(nullptr) : json(row.contact_email);
  return out;
}

json TicketViewJson(const app::TicketView& view) {
  json out = TicketJson(view.ticket);
  out["messages"] = json::array();
  for (const Message& m : view.messages) out["messages"].push_back(MessageJson(m));
  out["contact"] = ContactJson(view.contact);
  out["client"] = view.client ? ClientJson(*view.client) : json(nullptr);
  return out;
}

json MessageJson(const Message& m) {
  return {
      {"id", m.id.value},
      {"ticket_id", m.ticket_id.value},
      {"kind", Name(m.kind)},
      {"channel", Name(m.channel)},
      {"author_user_id", IdOrNull(m.author_user_id)},
      {"author_contact_id", IdOrNull(m.author_contact_id)},
      {"body", m.body_text},
      {"body_html", m.body_html.empty() ? json(nullptr) : json(m.body_html)},
      {"external_id", m.external_id ? json(*m.external_id) : json(nullptr)},
      {"created_at", FormatRfc3339(m.created_at)},
  };
}

json ClientJson(const Client& c) {
  return {
      {"id", c.id.value},
      {"name", c.name},
      {"email_domains", c.email_domains},
      {"notes", c.notes},
      {"plan", c.plan},
      {"time_zone", c.time_zone},
      {"created_at", FormatRfc3339(c.created_at)},
      {"updated_at", FormatRfc3339(c.updated_at)},
  };
}

json ContactJson(const Contact& c) {
  json social = json::array();
  for (const SocialId& s : c.social_ids) social.push_back({{"network", s.network}, {"id", s.id}});
  return {
      {"id", c.id.value},
      {"client_id", IdOrNull(c.client_id)},
      {"name", c.name},
      {"emails", c.emails},
      {"phones", c.phones},
      {"social_ids", social},
      {"created_at", FormatRfc3339(c.created_at)},
      {"updated_at", FormatRfc3339(c.updated_at)},
  };
}

json UserJson(const User& u) {
  json hours = json::array();
  for (const WorkingInterval& w : u.working_hours) {
    hours.push_back({{"weekday", w.weekday}, {"start_minute", w.start_minute}, {"end_minute", w.end_minute}});
  }
  return {
      {"id", u.id.value},
      {"email", u.email},
      {"name", u.name},
      {"role", Name(u.role)},
      {"time_zone", u.time_zone},
      {"working_hours", hours},
      {"active", u.active},
      {"on_call", u.on_call},
      {"created_at", FormatRfc3339(u.created_at)},
  };
}

json WorkspaceJson(const Workspace& w) {
  return {{"name", w.name},
          {"time_zone", w.time_zone},
          {"currency", w.currency},
          {"acknowledge_requests", w.acknowledge_requests},
          {"nudge_after_days", w.nudge_after_days},
          {"nudge_limit", w.nudge_limit},
          {"review_pack_days", w.review_pack_days}};
}

json NoticeJson(const app::Notice& n) {
  return {{"id", n.id.value},
          {"kind", n.kind},
          {"ticket_id", IdOrNull(n.ticket_id)},
          {"client_id", IdOrNull(n.client_id)},
          {"title", n.title},
          {"body", n.body},
          {"created_at", FormatRfc3339(n.created_at)},
          {"deliver_at", FormatRfc3339(n.deliver_at)},
          {"read_at", TimeOrNull(n.read_at)}};
}

json ReminderJson(const app::Reminder& r) {
  return {{"id", r.id.value},
          {"user_id", r.user_id.value},
          {"ticket_id", IdOrNull(r.ticket_id)},
          {"client_id", IdOrNull(r.client_id)},
          {"title", r.title},
          {"note", r.note},
          {"due_at", FormatRfc3339(r.due_at)},
          {"done_at", TimeOrNull(r.done_at)},
          {"created_by", r.created_by.value},
          {"created_at", FormatRfc3339(r.created_at)},
          {"notified_at", TimeOrNull(r.notified_at)}};
}

json HolidayJson(const app::HolidayRecord& r) {
  return {{"id", r.id.value},
          {"year", r.holiday.year == 0 ? json(nullptr) : json(r.holiday.year)},
          {"month", r.holiday.month},
          {"day", r.holiday.day},
          {"name", r.holiday.name}};
}

json PolicyJson(const SlaPolicy& p) {
  json targets = json::object();
  for (Priority priority : AllPriorities()) {
    const ResponseTargets& t = p.For(priority);
    targets[std::string(Name(priority))] = {{kTargetKinds[0], CountOrNull(t.first_response)},
                                            {kTargetKinds[1], CountOrNull(t.next_response)},
                                            {kTargetKinds[2], CountOrNull(t.resolution)}};
  }
  return {{"id", p.id.value},
          {"name", p.name},
          {"plan", p.plan},
          {"warning_percent", p.warning_percent},
          {"targets", targets}};
}

}  // namespace rapport::http::api
