/* SPDX-License-Identifier: Apache-2.0 */
/* The catalogue: every fact hostaudit knows, its type and its meaning.
 * Probes, rules and docs all agree on these names. Keep it sorted by name
 * (a unit test checks); `hostaudit facts --catalog` prints it. */
#include <stdlib.h>
#include <string.h>

#include "hostaudit/facts.h"
#include "i18n.h"

static const fact_def catalog[] = {
	/* Accounts: automatic login, guest, SSH (agent/probes/<os>/accounts.c) */
	{"accounts.autologin_users", FACT_LIST, "accounts",
	 N_("Accounts a display manager logs in automatically, without a password (GDM, LightDM, SDDM)")},
	{"accounts.guest_enabled", FACT_BOOL, NULL,
	 N_("A guest login is offered: LightDM allow-guest, or a 'guest' account with a login shell")},
	{"accounts.ssh.kbd_interactive_authentication", FACT_BOOL, NULL,
	 N_("sshd accepts keyboard-interactive logins through PAM, which ask for the password "
	 "(KbdInteractiveAuthentication and UsePAM, global section)")},
	{"accounts.ssh.password_authentication", FACT_BOOL, NULL,
	 N_("sshd accepts password logins (PasswordAuthentication, global section; OpenSSH default yes)")},
	{"accounts.ssh.permit_root_login", FACT_STRING, NULL,
	 N_("sshd PermitRootLogin, global section: yes, prohibit-password, forced-commands-only or no "
	 "(OpenSSH default prohibit-password; without-password is read as prohibit-password)")},
	/* Antivirus (agent/probes/<os>/antivirus.c; products from data/antivirus-products.yaml) */
	{"antivirus.active", FACT_BOOL, NULL,
	 N_("A scanner process of an installed antivirus product is running (on-demand daemon or on-access)")},
	{"antivirus.products", FACT_LIST, "products",
	 N_("Antivirus products installed on the host (empty when none is recognised)")},
	{"antivirus.signatures_current", FACT_BOOL, NULL,
	 N_("Every active product reports its signatures up to date (Windows Security Center), for products that give no signature time")},
	{"antivirus.signatures_updated", FACT_TIME, NULL,
	 N_("Build time of the newest signatures of the active product (ClamAV: daily/main .cld/.cvd "
	 "header; no database at all is recorded as time 0, the oldest)")},
	{"antivirus.updater_active", FACT_BOOL, NULL,
	 N_("The product's signature updater runs or is enabled and not masked (freshclam, vendor "
	 "agent)")},
	/* Attested by a person (agent/core/attest.c; questions in
	 * rules/questions/attest.yaml): yes, partly or no; unknown when not
	 * answered, answered "unknown", or older than max_age_days. */
	{"attest.access_control", FACT_STRING, NULL,
	 N_("Attested answer: Is access to important information restricted to the people who need it?")},
	{"attest.attachment_caution", FACT_STRING, NULL,
	 N_("Attested answer: Do staff take care not to catch a virus through e-mail attachments or links, and leave unexpected attachments unopened?")},
	{"attest.backup_practice", FACT_STRING, NULL,
	 N_("Attested answer: Are backups of important information taken against infection, failure or mistakes, covering what matters, and has a restore been tried?")},
	{"attest.carry_out_protection", FACT_STRING, NULL,
	 N_("Attested answer: When documents, media or laptops with important information leave the office, are they protected against theft and loss?")},
	{"attest.confidentiality", FACT_STRING, NULL,
	 N_("Attested answer: Do staff understand their duty of confidentiality and keep rules such as not disclosing what they learn at work?")},
	{"attest.documents_stored", FACT_STRING, NULL,
	 N_("Attested answer: Are documents and media holding important information locked away rather than left on desks?")},
	{"attest.email_misdelivery", FACT_STRING, NULL,
	 N_("Attested answer: Do you take steps to prevent sending e-mail or faxes to the wrong recipient?")},
	{"attest.email_protect_info", FACT_STRING, NULL,
	 N_("Attested answer: Is important information kept out of e-mail bodies and sent in files protected with a password or similar?")},
	{"attest.equipment_locked", FACT_STRING, NULL,
	 N_("Attested answer: When leaving for the day, are laptops and equipment locked away against theft?")},
	{"attest.external_services", FACT_STRING, NULL,
	 N_("Attested answer: Are external services (cloud services, web hosting) chosen knowing how secure and reliable they are?")},
	{"attest.help_contact", FACT_STRING, NULL,
	 N_("Attested answer: Does everyone know whom to ask when in trouble (a suspected virus, a suspicious e-mail, a lost device)?")},
	{"attest.incident_response", FACT_STRING, NULL,
	 N_("Attested answer: Are you prepared for a security incident, with who does what in an emergency and written response steps?")},
	{"attest.internet_sns_risk", FACT_STRING, NULL,
	 N_("Attested answer: Do you guard against trouble over the Internet, such as infection from web sites or careless posts on social media?")},
	{"attest.leave_desk_lock", FACT_STRING, NULL,
	 N_("Attested answer: When staff leave their desks, do they lock the screen so nobody can look at it or use the PC?")},
	{"attest.nda_clauses", FACT_STRING, NULL,
	 N_("Attested answer: Do contracts with partners who exchange important information contain confidentiality clauses?")},
	{"attest.office_entry", FACT_STRING, NULL,
	 N_("Attested answer: Is entry to the office restricted to the people concerned?")},
	{"attest.office_locked", FACT_STRING, NULL,
	 N_("Attested answer: Is there a safeguard against forgetting to lock the office when nobody is there?")},
	{"attest.password_secrecy", FACT_STRING, NULL,
	 N_("Attested answer: Does everyone know never to tell anyone their login ID or password: not a colleague, not IT staff, not a caller or an e-mail that asks for it?")},
	{"attest.personal_devices", FACT_STRING, NULL,
	 N_("Attested answer: Are the security measures for using personal devices for work made clear?")},
	{"attest.secure_disposal", FACT_STRING, NULL,
	 N_("Attested answer: When important information is deleted or thrown away, is it made unreadable (documents shredded, data erased with a wiping tool)?")},
	{"attest.security_rules", FACT_STRING, NULL,
	 N_("Attested answer: Are the security measures (such as those above) written down as rules and made known to staff?")},
	{"attest.security_training", FACT_STRING, NULL,
	 N_("Attested answer: Do staff receive security training and reminders (for example on phishing)?")},
	{"attest.threat_info_shared", FACT_STRING, NULL,
	 N_("Attested answer: Is there a way of learning about new threats and attack methods and sharing the countermeasures inside the company?")},
	{"attest.trusted_shops", FACT_STRING, NULL,
	 N_("Attested answer: Do staff shop and bank online only at stores and sites they have checked (operator, contact details, encrypted connection)?")},
	{"attest.wireless_security", FACT_STRING, NULL,
	 N_("Attested answer: Is wireless LAN used safely, for example with a suitable encryption method (WPA2 or WPA3) set?")},
	/* Backup recency (agent/probes/<os>/backup.c) */
	{"backup.evidence_found", FACT_BOOL, NULL,
	 N_("Some evidence of a completed backup was found (a tool's metadata or the site's evidence)")},
	{"backup.last_success", FACT_TIME, NULL,
	 N_("Time of the newest completed backup among all evidence sources whose backup times can be "
	 "read (not restic or borg: encrypted)")},
	{"backup.sources", FACT_LIST, "sources",
	 N_("Backup tools or site evidence with a completed backup (timeshift:DIR, restic:REPO, site:NAME ...)")},
	/* Disk encryption (agent/probes/<os>/diskcrypt.c) */
	{"diskcrypt.home_encrypted", FACT_BOOL, NULL,
	 N_("The filesystem holding /home is encrypted (dm-crypt/LUKS under it, or eCryptfs)")},
	{"diskcrypt.home_separate", FACT_BOOL, NULL,
	 N_("/home is a filesystem of its own (false: it is on the / filesystem, so "
	 "diskcrypt.home_encrypted repeats diskcrypt.root_encrypted)")},
	{"diskcrypt.root_encrypted", FACT_BOOL, NULL,
	 N_("The filesystem holding / is encrypted (dm-crypt/LUKS under every device beneath it)")},
	{"diskcrypt.swap_encrypted", FACT_BOOL, NULL,
	 N_("Every swap area on disk is encrypted (not applicable when no swap is on disk)")},
	/* Host firewall (agent/probes/<os>/firewall.c) */
	{"firewall.active", FACT_BOOL, NULL,
	 N_("The live packet filter acts on incoming traffic: an input filter chain has rules or "
	 "drops by default")},
	{"firewall.enabled_at_boot", FACT_BOOL, NULL,
	 N_("The configured firewall starts at boot with a ruleset (ufw ENABLED=yes and its unit "
	 "enabled, firewalld enabled, or a persistent nftables/iptables ruleset loaded by an "
	 "enabled unit)")},
	{"firewall.product", FACT_STRING, NULL,
	 N_("The firewall front end configured: ufw, firewalld, nftables, iptables, or none")},
	/* Identity (agent/probes/<os>/os.c) */
	{"host.machine_id", FACT_STRING, NULL, N_("Stable machine identity (/etc/machine-id)")},
	{"host.name", FACT_STRING, NULL, N_("The host's name (/etc/hostname)")},
	{"os.id", FACT_STRING, NULL, N_("Operating system id (debian, ubuntu, rhel, windows)")},
	{"os.pretty_name", FACT_STRING, NULL, N_("Operating system name and version, for people")},
	{"os.version_id", FACT_STRING, NULL, N_("Operating system version")},
	/* Password policy (agent/probes/<os>/password.c) */
	{"password.empty_accounts", FACT_LIST, "accounts",
	 N_("Accounts whose password is empty (/etc/passwd field or /etc/shadow hash): anyone can log "
	 "in as them without a password")},
	{"password.history_length", FACT_INT, "passwords",
	 N_("Previous passwords a new one must differ from (pam_pwhistory / pam_unix remember=, "
	 "Windows password history)")},
	{"password.human_accounts", FACT_LIST, "accounts",
	 N_("Accounts that belong to people (regular UID range, a login shell)")},
	{"password.lockout.deny", FACT_INT, "attempts",
	 N_("Failed logins before an account is locked (pam_faillock deny)")},
	{"password.lockout.enabled", FACT_BOOL, NULL,
	 N_("Failed logins lock the account: pam_faillock with both its preauth and authfail lines (or "
	 "pam_tally2) in the login stack, deny above 0")},
	{"password.max_age_days", FACT_INT, "days",
	 N_("Longest maximum password age among human accounts (99999 = never expires)")},
	{"password.min_classes", FACT_INT, "classes",
	 N_("Character classes a new password must mix (pwquality minclass)")},
	{"password.min_length", FACT_INT, "characters",
	 N_("Minimum length of a new password enforced by the password-quality module")},
	{"password.quality_enforced", FACT_BOOL, NULL,
	 N_("A password-quality module (pam_pwquality) checks every new password and refuses weak "
	 "ones (not enforcing = 0)")},
	/* Screen lock (agent/probes/<os>/screenlock.c) */
	{"screenlock.enabled", FACT_BOOL, NULL,
	 N_("The screen locks by itself after a period of inactivity, for every desktop and user "
	 "that could be observed")},
	{"screenlock.enforced", FACT_BOOL, NULL,
	 N_("The screen-lock settings are locked by system policy so users cannot turn them off "
	 "(dconf locks, KDE [$i])")},
	{"screenlock.idle_seconds", FACT_INT, "seconds",
	 N_("Longest inactivity before the screen locks (idle delay plus lock delay); 0 = never")},
	/* Shared folders (agent/probes/<os>/shares.c) */
	{"shares.configured", FACT_BOOL, NULL,
	 N_("The host shares folders: a Samba share, a usershare or an NFS export is configured "
	 "and its server is installed")},
	{"shares.everyone_access", FACT_LIST, "shares",
	 N_("Windows shares whose share permissions let in Everyone, Guests or Anonymous (by SID), as "
	 "\"smb:NAME\"")},
	{"shares.guest_open", FACT_LIST, "shares",
	 N_("Samba shares anyone can use without a password (guest ok / public), as "
	 "\"samba:NAME\" or \"usershare:NAME\"")},
	{"shares.nfs_world", FACT_LIST, "exports",
	 N_("NFS exports open to any host (client * or no host restriction), as the exported path")},
	/* OS updates (agent/probes/<os>/updates.c; Debian: aptcache.c) */
	{"updates.auto_enabled", FACT_BOOL, NULL,
	 N_("Updates install themselves (unattended-upgrades, dnf-automatic, Windows automatic updates)")},
	{"updates.last_upgrade", FACT_TIME, NULL,
	 N_("When packages were last upgraded successfully (apt history.log, dnf.rpm.log)")},
	{"updates.lists_refreshed", FACT_TIME, NULL,
	 N_("When the package lists were last refreshed by a completed apt update (Release files, "
	 "update-success-stamp) or dnf makecache")},
	{"updates.pending", FACT_LIST, "packages",
	 N_("Installed packages with a newer candidate version (as apt list --upgradable; name.arch with dnf)")},
	{"updates.pending_count", FACT_INT, "packages",
	 N_("Number of installed packages with a newer candidate version")},
	{"updates.reboot_required", FACT_BOOL, NULL,
	 N_("An installed update waits for a reboot (reboot-required flag, newer kernel)")},
	{"updates.security_packages", FACT_LIST, "packages",
	 N_("The pending security updates as \"name version (suite)\": the candidate version and "
	 "the suite it comes from (hostaudit explain shows them)")},
	{"updates.security_pending", FACT_LIST, "packages",
	 N_("Pending updates whose candidate comes from a security archive (dnf: a security advisory)")},
	{"updates.security_pending_count", FACT_INT, "packages",
	 N_("Number of pending updates whose candidate comes from a security archive")},
	{"updates.source", FACT_STRING, NULL, N_("Package manager the update facts come from (apt, dnf, wua)")},
	/* Wireless LAN (agent/probes/<os>/wireless.c) */
	{"wireless.insecure_profiles", FACT_LIST, "networks",
	 N_("Saved Wi-Fi networks that are open (no encryption) or use WEP, as \"SSID: security\"")},
	{"wireless.present", FACT_BOOL, NULL,
	 N_("The host has a wireless interface or saved Wi-Fi networks (not applicable: neither)")},
	{"wireless.profiles", FACT_LIST, "networks",
	 N_("Saved Wi-Fi networks (NetworkManager connections, wpa_supplicant networks), as \"SSID: security\"")},
};

size_t catalog_count(void)
{
	return sizeof catalog / sizeof catalog[0];
}

const fact_def *catalog_at(size_t i)
{
	return i < catalog_count() ? &catalog[i] : NULL;
}

static int by_name(const void *key, const void *elem)
{
	return strcmp(key, ((const fact_def *)elem)->name);
}

const fact_def *catalog_find(const char *name)
{
	return bsearch(name, catalog, catalog_count(), sizeof catalog[0], by_name);
}
