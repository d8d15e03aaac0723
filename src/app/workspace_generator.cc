#include "app/workspace_generator.h"

#include <algorithm>
#include <array>
#include <chrono>
#include <cmath>
#include <set>
#include <string_view>
#include <utility>

#include "app/ticket_clocks.h"
#include "app/transaction.h"
#include "core/business_calendar.h"
#include "core/sla_policy.h"

namespace rapport::app {
namespace {

using std::chrono::days;
using std::chrono::hours;
using std::chrono::minutes;

// SplitMix64: a tiny PRNG whose output is the same on every platform and standard library (the
// distributions of <random> are not), so a seed always gives the same workspace.
class Prng {
 public:
  explicit Prng(std::uint64_t seed) : state_(seed) {}
  std::uint64_t Next() {
    std::uint64_t z = (state_ += 0x9E3779B97F4A7C15ULL);
    z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9ULL;
    z = (z ^ (z >> 27)) * 0x94D049BB133111EBULL;
    return z ^ (z >> 31);
  }
  // Uniform in [0, n); n > 0.
  int Below(int n) { return static_cast<int>(Next() % static_cast<std::uint64_t>(n)); }
  // Uniform in [lo, hi].
  int Between(int lo, int hi) { return lo + Below(hi - lo + 1); }
  double Unit() { return static_cast<double>(Next() >> 11) / 9007199254740992.0; }
  bool Chance(double p) { return Unit() < p; }
  template <typename T, std::size_t N>
  const T& Pick(const std::array<T, N>& items) {
    return items[static_cast<std::size_t>(Below(static_cast<int>(N)))];
  }
  // An index from a weight table.
  template <std::size_t N>
  std::size_t Weighted(const std::array<int, N>& weights) {
    int total = 0;
    for (int w : weights) total += w;
    int r = Below(total);
    for (std::size_t i = 0; i < N; ++i) {
      if (r < weights[i]) return i;
      r -= weights[i];
    }
    return N - 1;
  }

 private:
  std::uint64_t state_;
};

// ---- The business and its team ----

struct Person {
  std::string_view name;
  std::string_view email;
  Role role;
  std::string_view time_zone;
  int start_hour;  // local working hours, Monday to Friday
  int end_hour;
};

constexpr std::string_view kWorkspaceName = "Brightpath IT Services";
constexpr std::string_view kWorkspaceTimeZone = "America/Chicago";

constexpr std::array<Person, 6> kTeam = {{
    {"Dana Whitfield", "dana@brightpath-it.example", Role::kOwner, "America/Chicago", 8, 17},
    {"Marcus Lee", "marcus@brightpath-it.example", Role::kAgent, "America/Chicago", 7, 16},
    {"Priya Raman", "priya@brightpath-it.example", Role::kAgent, "America/Chicago", 9, 18},
    {"Tom Okafor", "tom@brightpath-it.example", Role::kAgent, "America/Chicago", 10, 19},
    {"Ana Reyes", "ana.reyes@reyes-tech.example", Role::kSubcontractor, "Asia/Manila", 8, 17},
    {"Jakub Nowak", "jakub@nowak-it.example", Role::kSubcontractor, "Europe/Warsaw", 8, 16},
}};

// ---- Clients and contacts ----

constexpr std::array<std::string_view, 40> kClientStems = {
    "Harbor",   "Maple",     "Summit",   "Riverside", "Oakridge", "Lakeview",  "Granite",  "Cedar",
    "Bluebird", "Northgate", "Prairie",  "Ironwood",  "Willow",   "Beacon",    "Redstone", "Silverline",
    "Foxglove", "Westbrook", "Keystone", "Meadow",    "Sterling", "Copperleaf", "Pinecrest", "Hollis",
    "Lighthouse", "Brightwater", "Juniper", "Ashford", "Evergreen", "Millbrook", "Sunrise", "Clearview",
    "Heritage", "Trailhead", "Kingsley", "Orchard",   "Fairview", "Canal Street", "Highland", "Larkspur"};
constexpr std::array<std::string_view, 25> kClientKinds = {
    "Dental",          "Law Group",        "Bakery",        "Architects",     "Accounting",
    "Veterinary Clinic", "Realty",         "Physical Therapy", "Insurance Agency", "Family Medicine",
    "Construction",    "Design Studio",    "Florist",       "Auto Repair",    "Chiropractic",
    "Wealth Advisors", "Coffee Roasters",  "Print Shop",    "Property Management", "Landscaping",
    "Optometry",       "Tax Services",     "Montessori School", "Brewing Co.",  "Engineering"};
constexpr std::array<std::string_view, 40> kFirstNames = {
    "Emma",  "Liam",   "Olivia", "Noah",   "Ava",    "Ethan",  "Sophia", "Mason",  "Isabella", "Lucas",
    "Mia",   "Logan",  "Amelia", "James",  "Harper", "Elijah", "Evelyn", "Ben",    "Abigail",  "Jacob",
    "Grace", "Daniel", "Chloe",  "Henry",  "Nora",   "Owen",   "Lily",   "Samuel", "Zoe",      "David",
    "Hannah", "Carlos", "Leah",  "Ravi",   "Mei",    "Kofi",   "Ingrid", "Omar",   "Sofia",    "Yuki"};
constexpr std::array<std::string_view, 40> kLastNames = {
    "Smith",  "Johnson", "Garcia",   "Miller",  "Davis",   "Martinez", "Lopez",  "Wilson",  "Anderson", "Thomas",
    "Moore",  "Jackson", "Martin",   "Lee",     "Thompson", "White",   "Harris", "Clark",   "Lewis",    "Walker",
    "Hall",   "Young",   "King",     "Wright",  "Scott",   "Green",    "Baker",  "Adams",   "Nelson",   "Hill",
    "Campbell", "Mitchell", "Roberts", "Carter", "Phillips", "Evans",  "Turner", "Patel",   "Nguyen",   "Kim"};
constexpr std::array<std::string_view, 6> kAreaCodes = {"312", "773", "630", "847", "708", "815"};

// ---- Requests: what small offices ask an IT shop for ----

struct Topic {
  std::string_view tag;
  std::array<std::string_view, 3> subjects;
  std::array<std::string_view, 3> inbound;   // the first message
  std::array<std::string_view, 3> replies;   // from the team
  std::array<std::string_view, 2> followups; // the client again
  std::array<std::string_view, 2> notes;     // internal
};

// {first} is the contact's first name, {me} the team member's, {client} the organization.
constexpr std::array<Topic, 14> kTopics = {{
    {"printer",
     {"Printer on the front desk won't print", "Printer shows paper jam but there is no paper stuck",
      "Scanning to email stopped working on the copier"},
     {"Hi, the HP printer at the front desk stopped printing this morning. Jobs sit in the queue and nothing comes "
      "out. We have tried turning it off and on. Can someone take a look today?",
      "The copier says paper jam in tray 2 but we opened every door and there is nothing in there. Patients are "
      "waiting for forms, please help.",
      "Scan to email from the Ricoh used to work and now it says 'SMTP authentication failed'. Did something change "
      "with our email?"},
     {"Hi {first}, thanks for letting us know. I've cleared the stuck print queue remotely and reinstalled the "
      "driver on the front desk PC. Could you try printing a test page?",
      "Hi {first}, the jam sensor on that model is known to stick. I'll stop by this afternoon with a replacement "
      "roller kit; in the meantime tray 1 should still work.",
      "Hi {first}, Microsoft switched off basic authentication for SMTP, which the copier used. I've set up a "
      "relay connector so scan to email works again. Please try one scan and tell me if it arrives."},
     {"That worked, thank you!", "Still jammed after your fix, the error came back after about 20 pages."},
     {"Driver was v6.2, updated to v7.1 from the vendor site.", "Roller kit is under warranty, claim filed."}},
    {"vpn",
     {"Can't connect to the VPN from home", "VPN keeps disconnecting every few minutes",
      "New laptop needs VPN access"},
     {"I'm working from home today and the VPN client says 'connection timed out'. It worked fine last week. I need "
      "the shared drive for a deadline.",
      "The VPN drops every 5-10 minutes and I lose my remote desktop session each time. Is this on our side?",
      "Our new hire starts Monday and needs VPN on her laptop. What do you need from us?"},
     {"Hi {first}, your VPN certificate expired yesterday. I've issued a new one and pushed it to your laptop; "
      "please restart the VPN client and try again.",
      "Hi {first}, the drops line up with your home router renewing its address. I've lowered the keep-alive "
      "interval on the firewall, which should hold the tunnel open. Let me know how it goes today.",
      "Hi {first}, happy to set that up. Please send her full name and email, and I'll have the laptop ready with "
      "VPN and the shared drive mapped by Friday."},
     {"Connected now, thanks {me}!", "It happened again twice this morning."},
     {"Firewall keep-alive changed from 60s to 20s.", "Checked the firewall log: no drops on our side."}},
    {"office365",
     {"Outlook keeps asking for my password", "Need a new Office 365 mailbox for a new employee",
      "Shared calendar not showing up in Outlook"},
     {"Outlook keeps popping up a password box every few minutes, even though I type the right password. It's "
      "driving me crazy.",
      "We hired a new assistant who starts next week. Can you create an email account and give her access to the "
      "shared inbox?",
      "The team calendar disappeared from my Outlook. Everyone else can see it."},
     {"Hi {first}, this is usually a stale saved credential. I removed the old entries from Credential Manager "
      "and signed you back in with multi-factor. Please restart Outlook.",
      "Hi {first}, the mailbox is created and the license assigned. I'll send the temporary password by text to the "
      "phone number you gave us. She'll be asked to set up multi-factor at first sign-in.",
      "Hi {first}, I've re-added the shared calendar to your profile. It can take a few minutes to sync."},
     {"The password box is gone, thank you.", "Could you also add her to the billing distribution list?"},
     {"License count now 14 of 15 - tell Dana before the next hire.", "Reset the Outlook profile; OST was corrupt."}},
    {"backup",
     {"Backup failed last night", "Need to restore a deleted folder from the shared drive",
      "Is our offsite backup actually working?"},
     {"We got an email saying the nightly backup failed. What does that mean and do we need to do anything?",
      "Someone deleted the 'Client Files 2025' folder from the shared drive yesterday afternoon. Can it be brought "
      "back?",
      "Our insurance renewal asks whether we test our backups. Can you confirm when the last successful restore "
      "test was?"},
     {"Hi {first}, the backup failed because the NAS ran out of space. I've pruned old snapshots and re-run the "
      "job, which completed successfully at 10:42.",
      "Hi {first}, good news: I restored the folder from last night's snapshot to its original place. Please check "
      "that everything is there.",
      "Hi {first}, our last restore test was on the 3rd and it passed. I've attached the report you can send to "
      "your insurer."},
     {"All files are back, you saved us!", "Thanks, can we do these tests quarterly?"},
     {"NAS at 91% after pruning; quote a larger disk at the annual review.",
      "Restore took 14 minutes for 3.2 GB."}},
    {"laptop",
     {"Laptop is very slow", "Laptop won't turn on", "Quote for three new laptops"},
     {"My laptop takes ten minutes to start and everything freezes. It's only two years old.",
      "My laptop won't turn on at all, not even the lights. I have client meetings all afternoon.",
      "We need three new laptops for the design team. Something that handles Adobe apps. What would you "
      "recommend?"},
     {"Hi {first}, the disk was nearly full and a sync client was stuck in a loop. I've cleaned it up and the "
      "laptop now starts in under a minute.",
      "Hi {first}, please bring it by or I can pick it up at noon. I'll set you up with a loaner so your meetings "
      "aren't affected.",
      "Hi {first}, for Adobe work I'd suggest 32 GB of memory and a dedicated graphics card. I'll send a quote with "
      "two options this afternoon."},
     {"Much faster now, thanks.", "Can we go with option B? When could they be ready?"},
     {"Loaner #3 handed over, needs to come back by the 20th.", "Battery swollen - replaced under warranty."}},
    {"email",
     {"Emails to one client are bouncing", "Getting a lot of spam lately", "Suspicious email - is this phishing?"},
     {"Every email I send to one of our clients comes back with 'message rejected'. Other emails go through fine.",
      "We're suddenly getting dozens of spam emails a day. Can you turn up the filter?",
      "I got an email that looks like it's from our bank asking me to confirm my login. I didn't click anything. "
      "Is it real?"},
     {"Hi {first}, their server rejects us because of a missing DKIM record on our side. I've added it; it may take "
      "an hour to take effect.",
      "Hi {first}, I've tightened the spam policy and blocked the two domains most of it came from. Let me know if "
      "anything legitimate lands in quarantine.",
      "Hi {first}, good catch - that is phishing. I've removed it from every mailbox in your office and blocked "
      "the sender. Thank you for not clicking."},
     {"Bounces stopped, thanks.", "A newsletter we need went to quarantine, can you release it?"},
     {"Added DKIM selector1/selector2 CNAMEs.", "Reported the phishing URL to the bank's abuse address."}},
    {"network",
     {"Wi-Fi is down in the conference room", "Internet very slow since this morning", "Add a network drop for a new desk"},
     {"The Wi-Fi in the conference room isn't working and we have a client presentation at 2.",
      "The internet has been crawling all morning. Speed tests show 3 Mbps instead of 200.",
      "We're adding a desk in the back office. Can you run a network cable there?"},
     {"Hi {first}, the access point in the conference room had crashed; I restarted it remotely and it is back "
      "online. I'll replace it if it happens again.",
      "Hi {first}, your provider has an outage in your area; I've opened a ticket with them and failed you over "
      "to the backup LTE link in the meantime.",
      "Hi {first}, sure. I can come Thursday morning; the cable run and a patch panel port would be about 2 hours "
      "of work."},
     {"Working again, presentation went fine.", "Speed is back to normal now."},
     {"AP firmware 6.5.28, update scheduled for Sunday.", "ISP ticket 448812, ETA 4 hours."}},
    {"security",
     {"I think I clicked a bad link", "Set up two-factor authentication for the whole office",
      "Former employee still has access?"},
     {"I clicked a link in an email and typed my password before I realised it looked wrong. What should I do?",
      "Our insurer requires multi-factor authentication for all staff by next month. Can you help us roll it out?",
      "An employee left on Friday. Can you make sure she can't get into anything anymore?"},
     {"Hi {first}, thanks for telling us right away. I've reset your password, signed out all your sessions and "
      "checked your mailbox rules - nothing was changed. You're safe.",
      "Hi {first}, yes. I propose a 30-minute session with everyone on Tuesday; each person needs their phone. I'll "
      "send instructions beforehand.",
      "Hi {first}, done: her account is disabled, her mail is forwarded to you, and I removed her from the VPN and "
      "the building door system."},
     {"Thank you, that was scary.", "Tuesday works. Can we do 10 am?"},
     {"Sign-in log shows one login from an unknown IP, blocked by conditional access.",
      "Offboarding checklist completed."}},
    {"billing",
     {"Question about last month's invoice", "Update our billing address", "Can we switch to the monthly plan?"},
     {"Our invoice for last month shows 9 hours but we thought we were on the retainer. Can you explain?",
      "We moved offices. Please send invoices to our new address from now on.",
      "We'd like to move from pay-as-you-go to the monthly retainer. What would it cost?"},
     {"Hi {first}, 6 of the hours were within the retainer; the other 3 were the after-hours server work you "
      "approved on the 14th. The breakdown is attached.",
      "Hi {first}, updated - the next invoice will go to the new address.",
      "Hi {first}, happy to. For your size the retainer is 10 hours a month; I'll send the agreement to sign."},
     {"Makes sense, thanks for the breakdown.", "Sounds good, please send it over."},
     {"Client disputes 3 h after-hours work; approval email is on ticket history.", "Retainer starts on the 1st."}},
    {"onboarding",
     {"New employee starting Monday", "Set up a new workstation", "Access to accounting software for new hire"},
     {"We have a new bookkeeper starting Monday. She'll need a computer, email and access to QuickBooks.",
      "We bought a new desktop for reception. Can you set it up like the others?",
      "Our new hire needs access to the accounting software and the shared finance folder."},
     {"Hi {first}, everything is ready: account, laptop, printer and QuickBooks. I'll be on site at 8:30 on Monday "
      "to walk her through it.",
      "Hi {first}, I'll image it with your standard setup and install it Wednesday morning.",
      "Hi {first}, access granted for the software and read/write on the finance folder."},
     {"Perfect, see you Monday.", "Thanks! Could she also get the scanner shortcut?"},
     {"Standard image v2026.3 used.", "QuickBooks license 5 of 5 used."}},
    {"software",
     {"QuickBooks won't open after the update", "Adobe asking to sign in again", "Install software on all PCs"},
     {"After last night's update QuickBooks shows an error and closes. We need it for payroll today.",
      "Adobe Acrobat keeps asking me to sign in and then says I don't have a license.",
      "Can you install the new practice management software on all 8 PCs?"},
     {"Hi {first}, the update broke the company file link. I repaired the installation and QuickBooks opens "
      "normally again; payroll should be fine.",
      "Hi {first}, your license had been assigned to a former employee's account. I moved it to you; please sign "
      "out and back in.",
      "Hi {first}, I can push it to all PCs tonight after hours so nobody is interrupted."},
     {"It opens now, thank you so much.", "Tonight is fine, thanks."},
     {"Ran QuickBooks Tool Hub, repair option 2.", "Deployment scheduled for 7 pm via RMM."}},
    {"phone-system",
     {"Desk phones have no dial tone", "Voicemail to email not working", "Change the after-hours greeting"},
     {"None of our desk phones have a dial tone since this morning. Customers can't reach us!",
      "Voicemails aren't arriving by email anymore.", "Can you change our after-hours greeting for the holidays?"},
     {"Hi {first}, the phone system lost its registration after a provider change. I re-registered the trunk and "
      "calls are working again.",
      "Hi {first}, the voicemail relay was still using an old password. Fixed, and a test voicemail arrived.",
      "Hi {first}, sure - record the greeting and email me the file, and I'll schedule it."},
     {"Phones work, thank you for the quick help!", "Here is the recording."},
     {"SIP trunk re-registered; provider changed their proxy.", "Greeting active Dec 23 - Jan 2."}},
    {"server",
     {"Server disk almost full warning", "File server is very slow", "Planning a server replacement"},
     {"We got a warning that the server's disk is 95% full. Should we be worried?",
      "Opening files on the shared drive takes forever today.",
      "Our server is 7 years old. Should we replace it or move to the cloud?"},
     {"Hi {first}, the disk was filling with old logs. I cleared them and set a rotation, so it's at 60% now.",
      "Hi {first}, a stuck antivirus scan was using the disk; I restarted it and scheduled scans for nights.",
      "Hi {first}, good question. I'll prepare both options with costs for our annual review meeting."},
     {"Great, thanks.", "Looking forward to the comparison."},
     {"Log rotation 14 days.", "Server warranty ended last year - raise at the annual review."}},
    {"website",
     {"Website contact form not sending", "Website is down", "SSL certificate warning on our website"},
     {"Our website's contact form says 'sent' but we never get the emails.",
      "Our website isn't loading, customers are calling about it.",
      "Visitors see a 'not secure' warning on our website."},
     {"Hi {first}, the form was sending from an address our mail filter rejected. Fixed, and a test message "
      "arrived.",
      "Hi {first}, the hosting provider had an outage; the site is back and I'm watching it.",
      "Hi {first}, the certificate had expired. I renewed it and turned on automatic renewal."},
     {"Got a test message, thanks.", "Thanks for the quick fix."},
     {"SPF include added for the web host.", "Cert renewal now automatic (ACME)."}},
}};

constexpr std::array<std::string_view, 4> kPhoneIntros = {"Call from {first}: ", "Phone call, {first} reports: ",
                                                         "Voicemail from {first}: ", "{first} called: "};

std::string Fill(std::string_view text, std::string_view first, std::string_view me, std::string_view client) {
  std::string out;
  out.reserve(text.size() + 16);
  for (std::size_t i = 0; i < text.size(); ++i) {
    auto rest = text.substr(i);
    if (rest.starts_with("{first}")) {
      out += first;
      i += 6;
    } else if (rest.starts_with("{me}")) {
      out += me;
      i += 3;
    } else if (rest.starts_with("{client}")) {
      out += client;
      i += 7;
    } else {
      out.push_back(text[i]);
    }
  }
  return out;
}

std::string LowerAlnum(std::string_view s) {
  std::string out;
  for (char c : s) {
    if (c >= 'A' && c <= 'Z') out.push_back(static_cast<char>(c - 'A' + 'a'));
    if ((c >= 'a' && c <= 'z') || (c >= '0' && c <= '9')) out.push_back(c);
  }
  return out;
}

struct StoredContact {
  ContactId id;
  std::optional<ClientId> client_id;
  std::string first_name;
  std::string client_name;
};

struct StoredPerson {
  UserId id;
  std::string first_name;
  Role role = Role::kAgent;
};

Status GenerateTeam(SessionPool& pool, Accounts& accounts, Prng& prng, const GeneratorOptions& options,
                    std::vector<StoredPerson>& people, GeneratedWorkspace& out) {
  std::optional<Actor> owner;
  for (const Person& person : kTeam) {
    std::string password;
    if (options.make_password) {
      password = options.make_password();
    } else {
      password = "demo-" + std::to_string(prng.Next() % 1000000000ULL) + "-pass";
    }
    NewUser user{std::string(person.email), std::string(person.name), person.role, std::string(person.time_zone),
                 password};
    auto created = accounts.CreateUser(owner ? &*owner : nullptr, user);
    if (!created.ok()) return created.status();
    if (!owner) owner = Actor{created->id, Role::kOwner};

    auto session = pool.Acquire();
    if (!session.ok()) return session.status();
    User stored = *created;
    stored.working_hours.clear();
    for (int weekday = 1; weekday <= 5; ++weekday) {
      stored.working_hours.push_back(WorkingInterval{weekday, person.start_hour * 60, person.end_hour * 60});
    }
    RAPPORT_RETURN_IF_ERROR((*session)->UpdateUser(stored));

    std::string first(person.name.substr(0, person.name.find(' ')));
    people.push_back(StoredPerson{created->id, first, person.role});
    out.accounts.push_back(GeneratedAccount{std::string(person.email), std::string(person.name), person.role,
                                            std::string(person.time_zone), password});
  }
  return Status::Ok();
}

// Monday to Friday 09:00-12:30 and 13:30-17:30: a business day of 7.5 hours.
std::vector<WorkingInterval> DemoBusinessHours() {
  std::vector<WorkingInterval> out;
  for (int day = 1; day <= 5; ++day) {
    out.push_back({day, 9 * 60, 12 * 60 + 30});
    out.push_back({day, 13 * 60 + 30, 17 * 60 + 30});
  }
  return out;
}

// Holidays (two yearly, one one-off) and two response policies: the default and a tighter one for
// clients on the "premium" plan. Targets are business minutes; a business day is 450 of them.
Status GeneratePromises(StoreSession& session) {
  for (const Holiday& h : {Holiday{0, 12, 25, "Christmas Day"}, Holiday{0, 1, 1, "New Year's Day"},
                           Holiday{2026, 11, 27, "Office move"}}) {
    RAPPORT_RETURN_IF_ERROR(session.InsertHoliday(h).status());
  }
  using std::chrono::minutes;
  constexpr int kDay = 450;
  auto targets = [](int first, int next, int resolution) {
    return ResponseTargets{minutes(first), minutes(next), minutes(resolution)};
  };
  SlaPolicy standard;
  standard.name = "Standard";
  standard.For(Priority::kLow) = targets(8 * 60, 16 * 60, 5 * kDay);
  standard.For(Priority::kNormal) = targets(4 * 60, 8 * 60, 3 * kDay);
  standard.For(Priority::kHigh) = targets(2 * 60, 4 * 60, 2 * kDay);
  standard.For(Priority::kUrgent) = targets(60, 2 * 60, kDay);
  SlaPolicy premium;
  premium.name = "Premium";
  premium.plan = "premium";
  premium.warning_percent = 80;
  premium.For(Priority::kLow) = targets(4 * 60, 8 * 60, 3 * kDay);
  premium.For(Priority::kNormal) = targets(2 * 60, 4 * 60, 2 * kDay);
  premium.For(Priority::kHigh) = targets(60, 2 * 60, kDay);
  premium.For(Priority::kUrgent) = targets(30, 60, 4 * 60);
  for (const SlaPolicy& p : {standard, premium}) RAPPORT_RETURN_IF_ERROR(session.InsertSlaPolicy(p).status());
  return Status::Ok();
}

Status GenerateClientsAndContacts(StoreSession& session, Prng& prng, const WorkspaceSize& size, Instant now,
                                  std::vector<std::vector<StoredContact>>& by_client,
                                  std::vector<StoredContact>& unaffiliated) {
  Transaction tx(session);
  RAPPORT_RETURN_IF_ERROR(tx.began());
  std::vector<std::pair<ClientId, std::string>> clients;  // id, domain
  std::vector<std::string> client_names;
  const int combos = static_cast<int>(kClientStems.size() * kClientKinds.size());
  for (int i = 0; i < size.clients; ++i) {
    // Stems and kinds advance at co-prime steps so neighbouring clients differ in both words.
    auto stem = kClientStems[static_cast<std::size_t>(i) % kClientStems.size()];
    auto kind = kClientKinds[static_cast<std::size_t>(i * 7 + i / 40) % kClientKinds.size()];
    std::string name = std::string(stem) + " " + std::string(kind);
    std::string domain = LowerAlnum(stem) + "-" + LowerAlnum(kind);
    if (i >= combos) {
      name += " " + std::to_string(i / combos + 1);
      domain += std::to_string(i / combos + 1);
    }
    domain += ".example";
    Client client;
    client.name = name;
    client.email_domains = {domain};
    client.notes = prng.Chance(0.3) ? "Retainer: 10 hours a month." : "";
    client.plan = i % 5 == 0 ? "premium" : "";  // no draw from prng: the rest stays as it was
    client.created_at = now - days(365 + prng.Below(3 * 365));
    client.updated_at = client.created_at;
    auto id = session.InsertClient(client);
    if (!id.ok()) return id.status();
    clients.emplace_back(*id, domain);
    client_names.push_back(name);
  }
  by_client.assign(clients.size(), {});
  std::set<std::string> used_emails;
  for (int i = 0; i < size.contacts; ++i) {
    // Every client gets one contact first; the rest are spread at random; one in ten is a person
    // writing from a personal address with no organization.
    bool personal = i >= size.clients && prng.Chance(0.1);
    int client_index = i < size.clients ? i : prng.Below(size.clients);
    std::string first(prng.Pick(kFirstNames));
    std::string last(prng.Pick(kLastNames));
    std::string domain = personal ? "fastmail.example" : clients[static_cast<std::size_t>(client_index)].second;
    std::string local = LowerAlnum(first) + "." + LowerAlnum(last);
    std::string email = local + "@" + domain;
    for (int n = 2; used_emails.count(email) != 0; ++n) email = local + std::to_string(n) + "@" + domain;
    used_emails.insert(email);

    Contact contact;
    contact.name = first + " " + last;
    contact.emails = {email};
    // Unique by construction: the contact's index is the last four digits, per area code.
    char digits[8];
    std::snprintf(digits, sizeof digits, "%04d", i % 10000);
    contact.phones = {"+1" + std::string(kAreaCodes[static_cast<std::size_t>(i / 10000) % kAreaCodes.size()]) +
                      "555" + digits};
    if (!personal) contact.client_id = clients[static_cast<std::size_t>(client_index)].first;
    contact.created_at = now - days(365 + prng.Below(365));
    contact.updated_at = contact.created_at;
    auto id = session.InsertContact(contact);
    if (!id.ok()) return id.status();
    StoredContact stored{*id, contact.client_id, first,
                         personal ? std::string() : client_names[static_cast<std::size_t>(client_index)]};
    if (personal) {
      unaffiliated.push_back(std::move(stored));
    } else {
      by_client[static_cast<std::size_t>(client_index)].push_back(std::move(stored));
    }
  }
  return tx.Commit();
}

// One ticket and its conversation, built in memory before it is written.
struct PlannedTicket {
  Ticket ticket;
  std::vector<Message> messages;
};

PlannedTicket PlanTicket(Prng& prng, Instant now, const StoredContact& contact,
                         const std::vector<StoredPerson>& people, int message_count, int serial,
                         std::uint64_t seed) {
  PlannedTicket plan;
  Ticket& t = plan.ticket;
  const Topic& topic = prng.Pick(kTopics);
  static constexpr std::array<Channel, 4> kChannels = {Channel::kEmail, Channel::kPhone, Channel::kSms,
                                                       Channel::kWebForm};
  t.channel = kChannels[prng.Weighted(std::array<int, 4>{55, 20, 12, 13})];
  static constexpr std::array<Priority, 4> kPriorities = {Priority::kLow, Priority::kNormal, Priority::kHigh,
                                                          Priority::kUrgent};
  t.priority = kPriorities[prng.Weighted(std::array<int, 4>{20, 55, 18, 7})];
  t.subject = std::string(prng.Pick(topic.subjects));
  t.contact_id = contact.id;
  t.client_id = contact.client_id;
  t.tags = {std::string(topic.tag)};
  if (t.priority == Priority::kUrgent) t.tags.push_back("urgent");
  if (prng.Chance(0.08)) t.tags.push_back("after-hours");
  std::sort(t.tags.begin(), t.tags.end());

  // Age: most tickets are old; the recent ones are still being worked.
  int age_minutes = prng.Below(365 * 24 * 60);
  if (prng.Chance(0.06)) age_minutes = prng.Below(3 * 24 * 60);
  t.created_at = now - minutes(age_minutes);
  const bool recent = age_minutes < 14 * 24 * 60;

  // Continuity: the owner and agents do most work; subcontractors take the after-hours share.
  const StoredPerson& worker =
      t.tags.size() > 1 && prng.Chance(0.6) ? people[static_cast<std::size_t>(prng.Between(4, 5))]
                                            : people[static_cast<std::size_t>(prng.Between(0, 3))];
  if (recent) {
    static constexpr std::array<TicketStatus, 5> kRecent = {TicketStatus::kNew, TicketStatus::kOpen,
                                                            TicketStatus::kWaitingOnClient, TicketStatus::kOnHold,
                                                            TicketStatus::kResolved};
    t.status = kRecent[prng.Weighted(std::array<int, 5>{15, 35, 20, 5, 25})];
  } else {
    static constexpr std::array<TicketStatus, 4> kOld = {TicketStatus::kClosed, TicketStatus::kResolved,
                                                         TicketStatus::kWaitingOnClient, TicketStatus::kOpen};
    t.status = kOld[prng.Weighted(std::array<int, 4>{85, 10, 3, 2})];
  }
  // Nobody has picked up a new ticket yet: whatever follows the first message is the client again.
  const bool untouched = t.status == TicketStatus::kNew;
  if (!untouched) t.assignee_id = worker.id;

  Instant at = t.created_at;
  std::string client = contact.client_name.empty() ? "your office" : contact.client_name;
  for (int i = 0; i < message_count; ++i) {
    Message m;
    m.channel = t.channel == Channel::kWebForm ? Channel::kEmail : t.channel;
    if (i == 0) {
      m.kind = MessageKind::kInbound;
      m.channel = t.channel;
      m.author_contact_id = contact.id;
      std::string body = Fill(prng.Pick(topic.inbound), contact.first_name, worker.first_name, client);
      if (t.channel == Channel::kPhone) {
        body = Fill(prng.Pick(kPhoneIntros), contact.first_name, worker.first_name, client) + body;
      } else {
        body = "Hi,\n\n" + body + "\n\nThanks,\n" + contact.first_name;
      }
      m.body_text = body;
    } else {
      // Conversations alternate: a reply, then the client, with an internal note now and then.
      at += minutes(prng.Between(5, i == 1 ? 8 * 60 : 2 * 24 * 60));
      int turn = prng.Below(10);
      if (untouched) {
        m.kind = MessageKind::kInbound;
        m.author_contact_id = contact.id;
        m.body_text = Fill(prng.Pick(topic.followups), contact.first_name, worker.first_name, client);
      } else if (turn < 2) {
        m.kind = MessageKind::kNote;
        m.author_user_id = worker.id;
        m.body_text = std::string(prng.Pick(topic.notes));
      } else if (i % 2 == 1 || turn < 5) {
        m.kind = MessageKind::kReply;
        m.author_user_id = worker.id;
        m.body_text = Fill(prng.Pick(topic.replies), contact.first_name, worker.first_name, client) +
                      "\n\nBest,\n" + worker.first_name + "\n" + std::string(kWorkspaceName);
      } else {
        m.kind = MessageKind::kInbound;
        m.author_contact_id = contact.id;
        m.body_text = Fill(prng.Pick(topic.followups), contact.first_name, worker.first_name, client);
      }
    }
    if (at > now) at = now;
    m.created_at = at;
    if (m.kind == MessageKind::kInbound && m.channel == Channel::kEmail) {
      m.external_id = "<gen." + std::to_string(seed) + "." + std::to_string(serial) + "." + std::to_string(i) +
                      "@mail.example>";
    }
    plan.messages.push_back(std::move(m));
  }
  t.last_message_at = at;
  t.updated_at = at;
  if (t.status == TicketStatus::kResolved || t.status == TicketStatus::kClosed) {
    Instant resolved = std::min(now, at + minutes(prng.Between(10, 24 * 60)));
    t.resolved_at = resolved;
    t.updated_at = resolved;
    if (t.status == TicketStatus::kClosed) {
      t.closed_at = std::min(now, resolved + days(3));
      t.updated_at = *t.closed_at;
    }
  }
  return plan;
}

}  // namespace

WorkspaceSize DemoWorkspaceSize() { return WorkspaceSize{40, 120, 500, 2250}; }
WorkspaceSize BenchWorkspaceSize() { return WorkspaceSize{1000, 5000, 100000, 1000000}; }

Result<bool> WorkspaceIsEmpty(StoreSession& session) {
  auto users = session.ListUsers();
  if (!users.ok()) return users.status();
  if (!users->empty()) return false;
  ClientQuery clients;
  clients.limit = 1;
  auto client_page = session.ListClients(clients);
  if (!client_page.ok()) return client_page.status();
  if (!client_page->items.empty()) return false;
  auto tickets = session.CountTickets(TicketQuery{});
  if (!tickets.ok()) return tickets.status();
  return *tickets == 0;
}

Result<GeneratedWorkspace> GenerateWorkspace(SessionPool& pool, Accounts& accounts, const GeneratorOptions& options) {
  const WorkspaceSize& size = options.size;
  if (size.clients < 1 || size.contacts < size.clients || size.tickets < 1 || size.messages < size.tickets) {
    return Status::InvalidArgument(
        "a workspace needs at least one client, a contact per client, one ticket and a message per ticket");
  }
  if (size.contacts > 10000 * static_cast<int>(kAreaCodes.size())) {
    return Status::InvalidArgument("at most 60,000 contacts can be generated (unique phone numbers)");
  }
  auto lease = pool.Acquire();
  if (!lease.ok()) return lease.status();
  StoreSession& session = **lease;
  auto empty = WorkspaceIsEmpty(session);
  if (!empty.ok()) return empty.status();
  if (!*empty) {
    return Status::Conflict(
        "the database already holds users, clients or tickets; generated data goes only into an empty database "
        "(use a new --db)");
  }

  Prng prng(options.seed);
  GeneratedWorkspace out;
  out.workspace_name = std::string(kWorkspaceName);
  auto workspace = session.GetWorkspace();
  if (!workspace.ok()) return workspace.status();
  workspace->name = out.workspace_name;
  workspace->time_zone = std::string(kWorkspaceTimeZone);
  workspace->currency = "USD";
  workspace->business_hours = DemoBusinessHours();
  RAPPORT_RETURN_IF_ERROR(session.SaveWorkspace(*workspace));
  RAPPORT_RETURN_IF_ERROR(GeneratePromises(session));

  std::vector<StoredPerson> people;
  RAPPORT_RETURN_IF_ERROR(GenerateTeam(pool, accounts, prng, options, people, out));

  std::vector<std::vector<StoredContact>> by_client;
  std::vector<StoredContact> unaffiliated;
  RAPPORT_RETURN_IF_ERROR(
      GenerateClientsAndContacts(session, prng, size, options.now, by_client, unaffiliated));
  out.clients = size.clients;
  out.contacts = size.contacts;

  // Tickets in time order, so numbers rise with creation dates as they would in real use.
  const int batch = std::max(1, options.tickets_per_transaction);
  std::int64_t messages_left = size.messages;
  GeneratorProgress progress{0, size.tickets, 0};
  const int most_per_ticket = std::max(
      1, static_cast<int>(std::lround(2.0 * static_cast<double>(size.messages) / size.tickets - 1)));
  for (int start = 0; start < size.tickets; start += batch) {
    int end = std::min(size.tickets, start + batch);
    std::vector<PlannedTicket> plans;
    plans.reserve(static_cast<std::size_t>(end - start));
    for (int i = start; i < end; ++i) {
      // A few clients cause most of the work (the Pareto shape the client-health view is about).
      const StoredContact* contact = nullptr;
      if (!unaffiliated.empty() && prng.Chance(0.05)) {
        contact = &unaffiliated[static_cast<std::size_t>(prng.Below(static_cast<int>(unaffiliated.size())))];
      } else {
        double u = prng.Unit();
        auto client = static_cast<std::size_t>(u * u * u * size.clients);
        const auto& contacts = by_client[std::min(client, by_client.size() - 1)];
        contact = &contacts[static_cast<std::size_t>(prng.Below(static_cast<int>(contacts.size())))];
      }
      // Counts are uniform from 1 to about twice the average still needed, so the total comes out
      // close to the size asked for, but never above twice the overall average (8 for the demo).
      int tickets_left = size.tickets - i;
      double average = static_cast<double>(messages_left) / tickets_left;
      int most = std::clamp(static_cast<int>(std::lround(2 * average - 1)), 1, most_per_ticket);
      int count = prng.Between(1, most);
      plans.push_back(PlanTicket(prng, options.now, *contact, people, count, i, options.seed));
      messages_left -= static_cast<std::int64_t>(plans.back().messages.size());
    }
    std::sort(plans.begin(), plans.end(),
              [](const PlannedTicket& a, const PlannedTicket& b) { return a.ticket.created_at < b.ticket.created_at; });
    Transaction tx(session);
    RAPPORT_RETURN_IF_ERROR(tx.began());
    for (PlannedTicket& plan : plans) {
      auto stored = session.InsertTicket(plan.ticket);
      if (!stored.ok()) return stored.status();
      for (Message& m : plan.messages) {
        m.ticket_id = stored->id;
        auto inserted = session.InsertMessage(m);
        if (!inserted.ok()) return inserted.status();
        ++progress.messages_done;
        // The promise clocks' history, as the use cases record it (app/ticket_clocks.h).
        if (m.kind != MessageKind::kNote) {
          const TicketEventKind kind =
              m.kind == MessageKind::kInbound ? TicketEventKind::kClientMessage : TicketEventKind::kAgentReply;
          RAPPORT_RETURN_IF_ERROR(session.InsertTicketEvent(stored->id, TicketEvent{m.created_at, kind}));
        }
      }
      if (stored->status != TicketStatus::kNew && stored->status != TicketStatus::kOpen) {
        RAPPORT_RETURN_IF_ERROR(session.InsertTicketEvent(
            stored->id, TicketEvent{stored->updated_at, TicketEventKind::kStatus, stored->status}));
      }
    }
    RAPPORT_RETURN_IF_ERROR(tx.Commit());
    progress.tickets_done = end;
    if (options.on_progress) options.on_progress(progress);
  }
  {
    Transaction tx(session);
    RAPPORT_RETURN_IF_ERROR(tx.began());
    RAPPORT_RETURN_IF_ERROR(RecomputeOpenTicketClocksIn(session, std::nullopt, options.now).status());
    RAPPORT_RETURN_IF_ERROR(tx.Commit());
  }
  out.tickets = size.tickets;
  out.messages = progress.messages_done;
  return out;
}

}  // namespace rapport::app
