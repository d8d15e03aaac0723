#include "http/web/pages/ticket_rows.h"

#include "http/web/pages/promise_badge.h"
#include "http/web/view_format.h"

namespace rapport::http::web {

std::map<std::int64_t, std::string> TeamNames(app::Desk& desk, const Actor& actor) {
  std::map<std::int64_t, std::string> names;
  auto users = desk.ListUsers(actor);
  if (users.ok()) {
    for (const User& u : *users) names[u.id.value] = u.name;
  }
  return names;
}

Data TicketRowData(const Ticket& t, const std::map<std::int64_t, std::string>& team, Instant now,
                   const std::string& zone) {
  Data row;
  row.set("id", std::to_string(t.id.value));
  row.set("number", std::to_string(t.number));
  row.set("subject", t.subject.empty() ? std::string("(no subject)") : t.subject);
  row.set("url", "/tickets/" + std::to_string(t.id.value));
  row.set("channel_key", std::string(Name(t.channel)));
  row.set("channel_label", ChannelLabel(t.channel));
  std::string assignee = "Unassigned";
  if (t.assignee_id) {
    auto it = team.find(t.assignee_id->value);
    assignee = it == team.end() ? std::string("Someone") : it->second;
  }
  row.set("assignee_name", assignee);
  row.set("is_unassigned", !t.assignee_id.has_value());
  const Instant last = t.last_message_at.time_since_epoch().count() > 0 ? t.last_message_at : t.created_at;
  row.set("age", Age(last, now));
  row.set("status_key", std::string(Name(t.status)));
  row.set("status_label", StatusLabel(t.status));
  row.set("priority_key", std::string(Name(t.priority)));
  row.set("priority_label", PriorityLabel(t.priority));
  row.set("is_urgent", t.priority == Priority::kUrgent || t.priority == Priority::kHigh);
  row.set("promise", PromiseBadgeData(t, now, zone));
  row.set("due_key", t.sla_due_at ? std::to_string(ToUnix(*t.sla_due_at)) : std::string());
  return row;
}

Data TicketRowsData(const std::vector<app::TicketRow>& rows, const std::map<std::int64_t, std::string>& team,
                    Instant now, const std::string& zone) {
  Data list(Data::type::list);
  for (const app::TicketRow& r : rows) {
    Data row = TicketRowData(r.ticket, team, now, zone);
    row.set("client_name", r.client_name);
    row.set("contact_name", r.contact_name.empty() ? r.contact_email : r.contact_name);
    list.push_back(row);
  }
  return list;
}

}  // namespace rapport::http::web
