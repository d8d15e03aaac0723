#include "http/web/pages/ticket_mail_parts.h"

#include <httplib.h>

#include <cctype>

#include "app/email_outbox.h"
#include "http/web/form.h"
#include "http/web/view_format.h"
#include "mail/html_display.h"
#include "mail/markdown.h"

namespace rapport::http::web {
namespace {

std::string AttachmentUrl(TicketId ticket, AttachmentId id) {
  return "/tickets/" + std::to_string(ticket.value) + "/attachments/" + std::to_string(id.value);
}

std::string SizeLabel(std::int64_t bytes) {
  if (bytes < 1024) return std::to_string(bytes) + " B";
  if (bytes < 1024 * 1024) return std::to_string((bytes + 512) / 1024) + " KB";
  return std::to_string((bytes + 512 * 1024) / (1024 * 1024)) + " MB";
}

// Types a browser may show inline from our origin without running anything: raster images only
// (an SVG can carry script; HTML or PDF attachments are downloaded, never rendered here).
bool ShowableInline(const std::string& content_type) {
  return content_type == "image/png" || content_type == "image/jpeg" || content_type == "image/gif" ||
         content_type == "image/webp";
}

std::string AddressList(const std::vector<app::EmailAddress>& list) {
  std::string out;
  for (const auto& a : list) {
    if (!out.empty()) out += ", ";
    out += a.name.empty() ? a.address : a.name + " <" + a.address + ">";
  }
  return out;
}

}  // namespace

MessageDisplay DisplayMessage(const Message& m, const app::TicketMailView& mail, bool show_remote_images) {
  MessageDisplay out;
  if (!m.body_html.empty()) {
    mail::SanitizeOptions options;
    options.allow_remote_images = show_remote_images;
    options.fold_quotes = true;
    auto attachments = mail.attachments.find(m.id);
    options.resolve_cid = [&](std::string_view cid) -> std::optional<std::string> {
      if (attachments == mail.attachments.end()) return std::nullopt;
      for (const auto& a : attachments->second) {
        if (a.content_id == cid && a.omitted_reason.empty() && ShowableInline(a.content_type)) {
          return AttachmentUrl(m.ticket_id, a.id);
        }
      }
      return std::nullopt;
    };
    mail::SanitizedHtml safe = mail::SanitizeEmailHtml(m.body_html, options);
    out.body_html = "<div class=\"mail-html\">" + safe.html + "</div>";
    out.blocked_remote_images = safe.blocked_remote_images;
  } else if (m.kind != MessageKind::kInbound) {
    // What the team writes is Markdown (replies leave as text/plain plus this rendering).
    out.body_html = "<div class=\"markdown\">" + mail::RenderMarkdown(m.body_text) + "</div>";
  } else {
    out.body_html = "<div class=\"mail-text\">" + mail::RenderPlainTextBody(m.body_text) + "</div>";
  }
  return out;
}

void AddEmailData(Data& item, const Message& m, const app::TicketMailView& mail, const std::string& csrf_token,
                  const std::string& zone) {
  Data attachments(Data::type::list);
  bool any_attachment = false;
  if (auto it = mail.attachments.find(m.id); it != mail.attachments.end()) {
    for (const auto& a : it->second) {
      if (a.is_inline && ShowableInline(a.content_type) && !m.body_html.empty()) continue;  // shown in the body
      Data d;
      d.set("name", a.filename);
      d.set("size", SizeLabel(a.size));
      d.set("kept", a.omitted_reason.empty());
      d.set("omitted_reason", a.omitted_reason);
      d.set("url", AttachmentUrl(m.ticket_id, a.id));
      attachments.push_back(d);
      any_attachment = true;
    }
  }
  item.set("has_attachments", any_attachment);
  item.set("attachments", attachments);

  if (auto it = mail.emails.find(m.id); it != mail.emails.end()) {
    const app::EmailRecord& e = it->second;
    item.set("is_email", true);
    item.set("email_from", e.from.name.empty() ? e.from.address : e.from.name + " <" + e.from.address + ">");
    item.set("email_to", AddressList(e.to));
    item.set("email_cc", AddressList(e.cc));
    item.set("has_cc", !e.cc.empty());
    item.set("email_subject", e.subject);
    item.set("is_automatic", e.auto_reply != app::AutoReplyKind::kNone);
    item.set("automatic_label", e.auto_reply == app::AutoReplyKind::kBounce ? "Bounce"
                                : e.auto_reply == app::AutoReplyKind::kBulk ? "Bulk mail"
                                                                            : "Auto-reply");
    item.set("has_warnings", !e.warnings.empty());
    std::string warnings;
    for (const auto& w : e.warnings) warnings += (warnings.empty() ? "" : "; ") + w;
    item.set("warnings", warnings);
  }
  if (auto it = mail.deliveries.find(m.id); it != mail.deliveries.end()) {
    const app::OutboxEntry& o = it->second;
    Data d;
    d.set("state", std::string(app::OutboxStateName(o.state)));
    d.set("label", o.state == app::OutboxState::kSent     ? "Sent"
                   : o.state == app::OutboxState::kFailed ? "Not delivered"
                                                          : "Queued");
    d.set("failed", o.state == app::OutboxState::kFailed);
    d.set("reply", o.last_reply);
    d.set("has_reply", !o.last_reply.empty());
    d.set("when", o.sent_at ? LocalTime(*o.sent_at, zone) : std::string());
    d.set("retry_url", "/tickets/" + std::to_string(m.ticket_id.value) + "/deliveries/" +
                           std::to_string(o.id.value) + "/retry");
    d.set("csrf_token", csrf_token);
    item.set("delivery", d);
  }
}

void DownloadAttachment(RequestContext& ctx, const WebEnv& env) {
  const TicketId ticket(PathId(ctx, "id"));
  const AttachmentId id(PathId(ctx, "attachment_id"));
  app::TicketMail mail(env.deps.pool);
  auto download = mail.Attachment(*ctx.actor, ticket, id);
  if (!download.ok()) {
    SendStatusPage(ctx, download.status());
    return;
  }
  const app::StoredAttachment& a = download->attachment;
  const bool inline_ok = ShowableInline(a.content_type);
  // The name goes in the RFC 6266 filename* form (UTF-8, percent-encoded): no quoting to break out of.
  std::string encoded;
  for (unsigned char c : a.filename) {
    if (std::isalnum(c) != 0 || c == '.' || c == '-' || c == '_') {
      encoded += static_cast<char>(c);
    } else {
      static constexpr char kHex[] = "0123456789ABCDEF";
      encoded += '%';
      encoded += kHex[c >> 4];
      encoded += kHex[c & 0x0F];
    }
  }
  ctx.res.set_header("Content-Disposition",
                     std::string(inline_ok ? "inline" : "attachment") + "; filename*=UTF-8''" + encoded);
  ctx.res.set_header("X-Content-Type-Options", "nosniff");
  ctx.res.set_header("Content-Security-Policy", "default-src 'none'; sandbox");
  ctx.res.set_header("Cache-Control", "private, max-age=3600");
  ctx.res.status = 200;
  ctx.res.set_content(std::move(download->data), inline_ok ? a.content_type : "application/octet-stream");
}

void RetryDelivery(RequestContext& ctx, const WebEnv& env) {
  const OutboxId id(PathId(ctx, "outbox_id"));
  app::EmailOutbox outbox(env.deps.pool, env.deps.clock);
  // Retry checks that the actor may see the entry's own ticket; the page goes back to that ticket.
  auto retried = outbox.Retry(*ctx.actor, id);
  if (!retried.ok()) {
    SendStatusPage(ctx, retried.status());
    return;
  }
  const TicketId ticket = retried->ticket_id.value_or(TicketId(PathId(ctx, "id")));
  RedirectTo(ctx, "/tickets/" + std::to_string(ticket.value) + "?done=retry");
}

}  // namespace rapport::http::web
