// SqlSession: clients and their email domains, contacts and their identifiers.
#include "store/codec.h"
#include "store/cursor.h"
#include "store/sql_builder.h"
#include "store/sql_session.h"

namespace rapport::store {
namespace {

using sql::Query;
using sql::Statement;

constexpr char kClientCursor = 'c';
constexpr char kContactCursor = 'p';

constexpr const char* kClientColumns =
    "c.id, c.name, c.email_domains, c.notes, c.created_at, c.updated_at, c.plan, c.time_zone";
constexpr const char* kContactColumns =
    "c.id, c.client_id, c.name, c.emails, c.phones, c.social_ids, c.created_at, c.updated_at";

Client ReadClient(const Statement& s) {
  Client c;
  c.id = ClientId(s.Int(0));
  c.name = s.Text(1);
  c.email_domains = SplitList(s.Text(2));
  c.notes = s.Text(3);
  c.created_at = InstantFromUnix(s.Int(4));
  c.updated_at = InstantFromUnix(s.Int(5));
  c.plan = s.Text(6);
  c.time_zone = s.Text(7);
  return c;
}

Contact ReadContact(const Statement& s) {
  Contact c;
  c.id = ContactId(s.Int(0));
  if (!s.IsNull(1)) c.client_id = ClientId(s.Int(1));
  c.name = s.Text(2);
  c.emails = SplitList(s.Text(3));
  c.phones = SplitList(s.Text(4));
  c.social_ids = DecodeSocialIds(s.Text(5));
  c.created_at = InstantFromUnix(s.Int(6));
  c.updated_at = InstantFromUnix(s.Int(7));
  return c;
}

// The same contact with duplicates dropped from its lists (a value listed twice is stored once).
Contact Deduplicated(const Contact& in) {
  Contact c = in;
  c.emails = Unique(in.emails);
  c.phones = Unique(in.phones);
  c.social_ids.clear();
  for (const auto& s : in.social_ids) {
    bool seen = false;
    for (const auto& o : c.social_ids) seen = seen || o == s;
    if (!seen) c.social_ids.push_back(s);
  }
  return c;
}

int ClampLimit(int limit) { return limit > app::kMaxPageSize ? app::kMaxPageSize : limit; }

Status ClientMissing(const std::optional<ClientId>& id) {
  return Status::NotFound("client " + std::to_string(id ? id->value : 0) + " does not exist");
}

// Finishes a list ordered by name, then id (clients, contacts) and reads it: the cursor condition,
// the order, one row more than the page (to know whether another follows), and the next cursor.
// `b` holds "SELECT ... FROM <table> c WHERE ..." so far.
template <typename T, typename ReadRow>
Result<app::Page<T>> NameOrderedPage(sql::Connection& conn, SqlBuilder& b, char cursor_kind, const std::string& cursor,
                                     int limit, ReadRow read_row) {
  if (!cursor.empty()) {
    RAPPORT_ASSIGN_OR_RETURN(CursorPosition pos, DecodeCursor(cursor_kind, cursor, false));
    b.Sql(" AND (c.name > ? OR (c.name = ? AND c.id > ?))").Value(pos.key).Value(pos.key).Value(pos.id);
  }
  b.Sql(" ORDER BY c.name, c.id LIMIT ?").Value(std::int64_t{limit + 1});
  RAPPORT_ASSIGN_OR_RETURN(Query q, conn.Prepare(b.sql()));
  b.BindTo(*q);
  app::Page<T> page;
  for (;;) {
    RAPPORT_ASSIGN_OR_RETURN(bool row, q->Next());
    if (!row) break;
    if (static_cast<int>(page.items.size()) == limit) {
      const T& last = page.items.back();
      page.next_cursor = EncodeCursor(cursor_kind, last.id.value, last.name);
      break;
    }
    page.items.push_back(read_row(*q));
  }
  return page;
}

// The columns that InsertContact and UpdateContact both write, in this order:
// client_id, name, emails, phones, social_ids, search_text.
void BindContactFields(Statement& q, const Contact& c) {
  q.Bind(c.client_id);
  q.Bind(c.name);
  q.Bind(JoinList(c.emails));
  q.Bind(JoinList(c.phones));
  q.Bind(EncodeSocialIds(c.social_ids));
  q.Bind(ContactSearchText(c));
}

}  // namespace

// ---- clients --------------------------------------------------------------------------------------

Status SqlSession::WriteClientDomains(ClientId id, const std::vector<std::string>& domains) {
  for (const auto& d : domains) {
    RAPPORT_ASSIGN_OR_RETURN(Query q, conn_->Prepare("INSERT INTO client_email_domains (domain, client_id) VALUES (?, ?)"
                                                     " ON CONFLICT (domain) DO NOTHING RETURNING client_id"));
    q->Bind(d);
    q->Bind(id);
    RAPPORT_ASSIGN_OR_RETURN(bool inserted, q->Next());
    if (!inserted) return Status::AlreadyExists("the email domain " + d + " already belongs to another client");
  }
  return Status::Ok();
}

Result<ClientId> SqlSession::InsertClient(const Client& c) {
  const std::vector<std::string> domains = Unique(c.email_domains);
  sql::WriteScope scope(*conn_);
  RAPPORT_RETURN_IF_ERROR(scope.began());
  ClientId id;
  {
    RAPPORT_ASSIGN_OR_RETURN(Query q, conn_->Prepare("INSERT INTO clients (name, email_domains, notes, created_at,"
                                                     " updated_at, plan, time_zone) VALUES (?, ?, ?, ?, ?, ?, ?)"
                                                     " RETURNING id"));
    q->Bind(c.name);
    q->Bind(JoinList(domains));
    q->Bind(c.notes);
    q->Bind(c.created_at);
    q->Bind(c.updated_at);
    q->Bind(c.plan);
    q->Bind(c.time_zone);
    RAPPORT_ASSIGN_OR_RETURN(bool row, q->Next());
    if (!row) return Status::Internal("INSERT INTO clients returned no id");
    id = ClientId(q->Int(0));
  }
  RAPPORT_RETURN_IF_ERROR(WriteClientDomains(id, domains));
  RAPPORT_RETURN_IF_ERROR(scope.Commit());
  return id;
}

Result<Client> SqlSession::GetClient(ClientId id) {
  RAPPORT_ASSIGN_OR_RETURN(Query q,
                           conn_->Prepare(std::string("SELECT ") + kClientColumns + " FROM clients c WHERE c.id = ?"));
  q->Bind(id);
  RAPPORT_ASSIGN_OR_RETURN(bool row, q->Next());
  if (!row) return ClientMissing(id);
  return ReadClient(*q);
}

Status SqlSession::UpdateClient(const Client& c) {
  const std::vector<std::string> domains = Unique(c.email_domains);
  sql::WriteScope scope(*conn_);
  RAPPORT_RETURN_IF_ERROR(scope.began());
  {
    RAPPORT_ASSIGN_OR_RETURN(Query q, conn_->Prepare("UPDATE clients SET name = ?, email_domains = ?, notes = ?,"
                                                     " updated_at = ?, plan = ?, time_zone = ? WHERE id = ?"
                                                     " RETURNING id"));
    q->Bind(c.name);
    q->Bind(JoinList(domains));
    q->Bind(c.notes);
    q->Bind(c.updated_at);
    q->Bind(c.plan);
    q->Bind(c.time_zone);
    q->Bind(c.id);
    RAPPORT_ASSIGN_OR_RETURN(bool row, q->Next());
    if (!row) return ClientMissing(c.id);
  }
  {
    RAPPORT_ASSIGN_OR_RETURN(Query q, conn_->Prepare("DELETE FROM client_email_domains WHERE client_id = ?"));
    q->Bind(c.id);
    RAPPORT_RETURN_IF_ERROR(q->Run());
  }
  RAPPORT_RETURN_IF_ERROR(WriteClientDomains(c.id, domains));
  return scope.Commit();
}

Result<app::Page<Client>> SqlSession::ListClients(const app::ClientQuery& query) {
  if (query.limit < 1) return Status::FieldError("limit", "must be at least 1");
  const int limit = ClampLimit(query.limit);
  SqlBuilder b;
  b.Sql(std::string("SELECT ") + kClientColumns + " FROM clients c WHERE 1 = 1");
  if (!query.text.empty()) {
    const std::string pattern = ContainsPattern(query.text);
    b.Sql(" AND (lower(c.name) LIKE ? ESCAPE '\\' OR lower(c.email_domains) LIKE ? ESCAPE '\\')")
        .Value(pattern)
        .Value(pattern);
  }
  return NameOrderedPage<Client>(*conn_, b, kClientCursor, query.cursor, limit, ReadClient);
}

Result<std::optional<ClientId>> SqlSession::FindClientByEmailDomain(const std::string& domain) {
  RAPPORT_ASSIGN_OR_RETURN(Query q, conn_->Prepare("SELECT client_id FROM client_email_domains WHERE domain = ?"));
  q->Bind(domain);
  RAPPORT_ASSIGN_OR_RETURN(bool row, q->Next());
  if (!row) return std::optional<ClientId>();
  return std::optional<ClientId>(ClientId(q->Int(0)));
}

// ---- contacts -------------------------------------------------------------------------------------

Status SqlSession::WriteContactIdentifiers(ContactId id, const Contact& c) {
  auto write = [&](const char* kind, const std::string& value, const std::string& shown) -> Status {
    RAPPORT_ASSIGN_OR_RETURN(Query q, conn_->Prepare("INSERT INTO contact_identifiers (kind, value, contact_id)"
                                                     " VALUES (?, ?, ?) ON CONFLICT (kind, value) DO NOTHING"
                                                     " RETURNING contact_id"));
    q->Bind(kind);
    q->Bind(value);
    q->Bind(id);
    RAPPORT_ASSIGN_OR_RETURN(bool inserted, q->Next());
    if (!inserted) return Status::AlreadyExists(shown + " already belongs to another contact");
    return Status::Ok();
  };
  for (const auto& e : c.emails) RAPPORT_RETURN_IF_ERROR(write("email", e, "the email " + e));
  for (const auto& p : c.phones) RAPPORT_RETURN_IF_ERROR(write("phone", p, "the phone number " + p));
  for (const auto& s : c.social_ids) {
    RAPPORT_RETURN_IF_ERROR(write("social", SocialKey(s), "the " + s.network + " id " + s.id));
  }
  return Status::Ok();
}

Result<ContactId> SqlSession::InsertContact(const Contact& in) {
  const Contact c = Deduplicated(in);
  sql::WriteScope scope(*conn_);
  RAPPORT_RETURN_IF_ERROR(scope.began());
  ContactId id;
  {
    RAPPORT_ASSIGN_OR_RETURN(
        Query q, conn_->Prepare("INSERT INTO contacts (client_id, name, emails, phones, social_ids, search_text,"
                                " created_at, updated_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?) RETURNING id"));
    BindContactFields(*q, c);
    q->Bind(c.created_at);
    q->Bind(c.updated_at);
    Result<bool> row = q->Next();
    if (!row.ok() && row.status().code() == StatusCode::kInvalidArgument) return ClientMissing(c.client_id);
    if (!row.ok()) return row.status();
    if (!*row) return Status::Internal("INSERT INTO contacts returned no id");
    id = ContactId(q->Int(0));
  }
  RAPPORT_RETURN_IF_ERROR(WriteContactIdentifiers(id, c));
  RAPPORT_RETURN_IF_ERROR(scope.Commit());
  return id;
}

Result<Contact> SqlSession::GetContact(ContactId id) {
  RAPPORT_ASSIGN_OR_RETURN(Query q,
                           conn_->Prepare(std::string("SELECT ") + kContactColumns + " FROM contacts c WHERE c.id = ?"));
  q->Bind(id);
  RAPPORT_ASSIGN_OR_RETURN(bool row, q->Next());
  if (!row) return Status::NotFound("contact " + std::to_string(id.value) + " does not exist");
  return ReadContact(*q);
}

Status SqlSession::UpdateContact(const Contact& in) {
  const Contact c = Deduplicated(in);
  sql::WriteScope scope(*conn_);
  RAPPORT_RETURN_IF_ERROR(scope.began());
  {
    RAPPORT_ASSIGN_OR_RETURN(
        Query q, conn_->Prepare("UPDATE contacts SET client_id = ?, name = ?, emails = ?, phones = ?, social_ids = ?,"
                                " search_text = ?, updated_at = ? WHERE id = ? RETURNING id"));
    BindContactFields(*q, c);
    q->Bind(c.updated_at);
    q->Bind(c.id);
    Result<bool> row = q->Next();
    if (!row.ok() && row.status().code() == StatusCode::kInvalidArgument) return ClientMissing(c.client_id);
    if (!row.ok()) return row.status();
    if (!*row) return Status::NotFound("contact " + std::to_string(c.id.value) + " does not exist");
  }
  {
    RAPPORT_ASSIGN_OR_RETURN(Query q, conn_->Prepare("DELETE FROM contact_identifiers WHERE contact_id = ?"));
    q->Bind(c.id);
    RAPPORT_RETURN_IF_ERROR(q->Run());
  }
  RAPPORT_RETURN_IF_ERROR(WriteContactIdentifiers(c.id, c));
  return scope.Commit();
}

Result<app::Page<Contact>> SqlSession::ListContacts(const app::ContactQuery& query) {
  if (query.limit < 1) return Status::FieldError("limit", "must be at least 1");
  const int limit = ClampLimit(query.limit);
  SqlBuilder b;
  b.Sql(std::string("SELECT ") + kContactColumns + " FROM contacts c WHERE 1 = 1");
  if (query.client_id) b.Sql(" AND c.client_id = ?").Value(query.client_id->value);
  if (!query.text.empty()) {
    const std::string pattern = ContainsPattern(query.text);
    b.Sql(" AND (lower(c.name) LIKE ? ESCAPE '\\' OR c.emails LIKE ? ESCAPE '\\' OR c.phones LIKE ? ESCAPE '\\')")
        .Value(pattern)
        .Value(pattern)
        .Value(pattern);
  }
  return NameOrderedPage<Contact>(*conn_, b, kContactCursor, query.cursor, limit, ReadContact);
}

Result<std::optional<std::int64_t>> SqlSession::FindContactIdentifier(const char* kind, const std::string& value) {
  RAPPORT_ASSIGN_OR_RETURN(Query q,
                           conn_->Prepare("SELECT contact_id FROM contact_identifiers WHERE kind = ? AND value = ?"));
  q->Bind(kind);
  q->Bind(value);
  RAPPORT_ASSIGN_OR_RETURN(bool row, q->Next());
  if (!row) return std::optional<std::int64_t>();
  return std::optional<std::int64_t>(q->Int(0));
}

namespace {
Result<std::optional<ContactId>> AsContactId(Result<std::optional<std::int64_t>> r) {
  if (!r.ok()) return r.status();
  if (!r->has_value()) return std::optional<ContactId>();
  return std::optional<ContactId>(ContactId(**r));
}
}  // namespace

Result<std::optional<ContactId>> SqlSession::FindContactByEmail(const std::string& normalized_email) {
  return AsContactId(FindContactIdentifier("email", normalized_email));
}

Result<std::optional<ContactId>> SqlSession::FindContactByPhone(const std::string& e164) {
  return AsContactId(FindContactIdentifier("phone", e164));
}

Result<std::optional<ContactId>> SqlSession::FindContactBySocialId(const SocialId& s) {
  return AsContactId(FindContactIdentifier("social", SocialKey(s)));
}

}  // namespace rapport::store
