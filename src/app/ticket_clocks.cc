#include "app/ticket_clocks.h"

#include <utility>

#include "app/promise_settings.h"
#include "app/transaction.h"

namespace rapport::app {

PromiseTerms PromiseContext::TermsFor(Priority priority, std::string_view plan) const {
  PromiseTerms terms;
  terms.policy = ChoosePolicy(policies, plan);
  if (terms.policy) {
    terms.targets = terms.policy->For(priority);
    terms.warning_percent = terms.policy->warning_percent;
  }
  return terms;
}

SlaClocks PromiseContext::Compute(std::span<const TicketEvent> events, Priority priority, std::string_view plan,
                                  Instant now) const {
  const PromiseTerms terms = TermsFor(priority, plan);
  return ComputeSlaClocks(events, terms.targets, terms.warning_percent, calendar, now);
}

Result<PromiseContext> LoadPromiseContext(StoreSession& s) {
  RAPPORT_ASSIGN_OR_RETURN(BusinessCalendar calendar, LoadWorkspaceCalendar(s));
  RAPPORT_ASSIGN_OR_RETURN(std::vector<SlaPolicy> policies, s.ListSlaPolicies());
  return PromiseContext{std::move(calendar), std::move(policies)};
}

Status RecordTicketEvent(StoreSession& s, TicketId ticket, const TicketEvent& e) {
  return s.InsertTicketEvent(ticket, e);
}

Status TicketClocks::RecordStatus(TicketId ticket, TicketStatus from, TicketStatus to, Instant at) {
  if (from == to) return Status::Ok();
  return RecordTicketEvent(s_, ticket, TicketEvent{at, TicketEventKind::kStatus, to});
}

Status TicketClocks::RecordMessage(TicketId ticket, MessageKind kind, TicketStatus from, TicketStatus to, Instant at) {
  // The status first: a client's message on a resolved ticket reopens it, and only then starts a
  // next-response clock. In the other order ComputeSlaClocks would start that clock on a settled
  // ticket (paused), and a reopen resumes only the resolution clock.
  RAPPORT_RETURN_IF_ERROR(RecordStatus(ticket, from, to, at));
  switch (kind) {
    case MessageKind::kInbound:
      return RecordTicketEvent(s_, ticket, TicketEvent{at, TicketEventKind::kClientMessage, to});
    case MessageKind::kReply:
      return RecordTicketEvent(s_, ticket, TicketEvent{at, TicketEventKind::kAgentReply, to});
    case MessageKind::kNote:
      break;
  }
  return Status::Ok();
}

Result<const PromiseContext*> TicketClocks::Context() {
  if (!context_) {
    RAPPORT_ASSIGN_OR_RETURN(PromiseContext loaded, LoadPromiseContext(s_));
    context_.emplace(std::move(loaded));
  }
  return &*context_;
}

Status TicketClocks::Refresh(const Ticket& t, Instant now) {
  RAPPORT_ASSIGN_OR_RETURN(const PromiseContext* context, Context());
  RAPPORT_ASSIGN_OR_RETURN(std::vector<TicketEvent> events, s_.ListTicketEvents(t.id));
  std::string plan;
  if (t.client_id) {
    RAPPORT_ASSIGN_OR_RETURN(Client client, s_.GetClient(*t.client_id));
    plan = std::move(client.plan);
  }
  return s_.SaveTicketClocks(t.id, context->Compute(events, t.priority, plan, now));
}

void SetStateAt(Ticket& t, Instant now) { t.sla_state = OverallStateAt(t.sla_state, t.sla_warning_at, t.sla_due_at, now); }

Status RefreshTicketClocks(StoreSession& s, const Ticket& t, Instant now) { return TicketClocks(s).Refresh(t, now); }

Result<std::int64_t> RecomputeOpenTicketClocksIn(StoreSession& s, std::optional<ClientId> client, Instant now) {
  RAPPORT_ASSIGN_OR_RETURN(PromiseContext context, LoadPromiseContext(s));
  return s.RecomputeOpenTicketClocks(client, [&](const TicketClockInput& t) {
    return context.Compute(t.events, t.priority, t.plan, now);
  });
}

Result<std::int64_t> RecomputeOpenTicketClocks(Store& store, Instant now) {
  RAPPORT_ASSIGN_OR_RETURN(std::unique_ptr<StoreSession> session, store.OpenSession());
  Transaction tx(*session);
  RAPPORT_RETURN_IF_ERROR(tx.began());
  RAPPORT_ASSIGN_OR_RETURN(std::int64_t count, RecomputeOpenTicketClocksIn(*session, std::nullopt, now));
  RAPPORT_RETURN_IF_ERROR(tx.Commit());
  return count;
}

}  // namespace rapport::app
