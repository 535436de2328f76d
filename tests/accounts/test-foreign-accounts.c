/* SPDX-License-Identifier: GPL-3.0-or-later */
/* test-foreign-accounts.c: accounts that other programs made in the EDS registry show
 * in Kontor's account service: an IMAP account as Evolution makes it (a mail account
 * with its identity and transport, no collection) and a collection as GNOME Online
 * Accounts makes it (backend "google", a GOA extension), which Kontor must not remove.
 * The sources are created through a registry client of this test, as those programs
 * do, not through Kontor. */
#define G_LOG_DOMAIN "kontor-test"

#include "config.h"

#include <stdlib.h>

#include <glib.h>
/* e-flag.h still declares a function with the deprecated GTimeVal. */
G_GNUC_BEGIN_IGNORE_DEPRECATIONS
#include <libedataserver/libedataserver.h>
G_GNUC_END_IGNORE_DEPRECATIONS

#include "kontor-account-service.h"
#include "kontor-error.h"

#define EVOLUTION_EMAIL "evo.user@example.org"
#define GOA_EMAIL       "goa.user@example.com"
#define GOA_ACCOUNT_ID  "account_1700000000_0"
#define WAIT_TIMEOUT    20 /* seconds */

/* The registry client of the "other program". */
static ESourceRegistry *registry;

typedef struct
{
  KontorAccountService *service;
  char *evolution_uid;
  char *goa_uid;
} Fixture;

/* Waiting on the main context, where the service's registry signals arrive. */

static void
store_result_cb (GObject *object, GAsyncResult *result, gpointer user_data)
{
  *(GAsyncResult **) user_data = g_object_ref (result);
}

static gboolean
timed_out_cb (gpointer user_data)
{
  *(gboolean *) user_data = TRUE;
  return G_SOURCE_REMOVE;
}

static void
wait_until (gboolean (*done) (gpointer data), gpointer data, const char *what)
{
  gboolean timed_out = FALSE;
  guint id = g_timeout_add_seconds (WAIT_TIMEOUT, timed_out_cb, &timed_out);

  while (!done (data) && !timed_out)
    g_main_context_iteration (NULL, TRUE);
  if (timed_out)
    g_error ("Waited %u seconds for %s", WAIT_TIMEOUT, what);
  g_source_remove (id);
}

static gboolean
has_result (gpointer data)
{
  return *(GAsyncResult **) data != NULL;
}

static GAsyncResult *
wait_for_result (GAsyncResult **result)
{
  wait_until (has_result, result, "an asynchronous call");
  return *result;
}

typedef struct
{
  KontorAccountService *service;
  const char *id;
  const char *email; /* NULL: until the account is no longer listed */
  const char *services;
} Listing;

static char *
dup_services (KontorAccount *account)
{
  return g_strjoinv (",", (char **) kontor_account_get_services (account));
}

static gboolean
is_listed_as_wanted (gpointer data)
{
  Listing *wanted = data;
  KontorAccount *account = kontor_account_service_lookup (wanted->service, wanted->id);
  g_autofree char *services = NULL;

  if (wanted->email == NULL)
    return account == NULL;
  if (account == NULL)
    return FALSE;
  services = dup_services (account);
  return g_strcmp0 (kontor_account_get_email (account), wanted->email) == 0 &&
         g_str_equal (services, wanted->services);
}

/* The sources of an account arrive one by one: waits until the list shows it whole. */
static KontorAccount *
wait_for_listing (KontorAccountService *service,
                  const char *id,
                  const char *email,
                  const char *services)
{
  Listing wanted = { service, id, email, services };
  g_autofree char *what = g_strdup_printf ("the list to show %s as %s with %s", id,
                                           email ? email : "gone", services ? services : "-");

  wait_until (is_listed_as_wanted, &wanted, what);
  return kontor_account_service_lookup (service, id);
}

/* The other programs' accounts. */

static ESource *
new_source (const char *parent, const char *display_name)
{
  g_autoptr (GError) error = NULL;
  ESource *source = e_source_new (NULL, NULL, &error);

  g_assert_no_error (error);
  e_source_set_parent (source, parent);
  e_source_set_display_name (source, display_name);
  return source;
}

static void
set_server (ESource *source,
            const char *provider,
            const char *host,
            guint16 port,
            const char *user,
            const char *method)
{
  ESourceAuthentication *auth = e_source_get_extension (source, E_SOURCE_EXTENSION_AUTHENTICATION);
  ESourceSecurity *security = e_source_get_extension (source, E_SOURCE_EXTENSION_SECURITY);

  /* Evolution writes the provider's settings group too; its host, port and user are
   * those of the Authentication extension. */
  e_source_get_extension (source, e_source_camel_get_extension_name (provider));
  e_source_authentication_set_host (auth, host);
  e_source_authentication_set_port (auth, port);
  e_source_authentication_set_user (auth, user);
  e_source_security_set_method (security, method);
}

/* Where the account's servers are: the test servers when they run. */
static const char *
server_host (void)
{
  const char *host = g_getenv ("KONTOR_TEST_HOST");

  return host != NULL ? host : "127.0.0.1";
}

static guint16
server_port (const char *variable, guint16 fallback)
{
  const char *port = g_getenv (variable);

  return port != NULL ? (guint16) atoi (port) : fallback;
}

/* As Evolution's account assistant makes a plain IMAP account: the mail account is the
 * root, its identity and transport are its children. */
static char *
create_evolution_account (void)
{
  g_autoptr (ESource) account = new_source (NULL, "Evolution IMAP");
  g_autoptr (ESource) identity = NULL;
  g_autoptr (ESource) transport = NULL;
  g_autolist (ESource) list = NULL;
  g_autoptr (GError) error = NULL;
  ESourceMailAccount *account_ext;
  ESourceMailIdentity *identity_ext;
  ESourceMailSubmission *submission_ext;
  ESourceMailTransport *transport_ext;

  identity = new_source (e_source_get_uid (account), "Evolution IMAP");
  transport = new_source (e_source_get_uid (account), "Evolution IMAP");

  account_ext = e_source_get_extension (account, E_SOURCE_EXTENSION_MAIL_ACCOUNT);
  e_source_backend_set_backend_name (E_SOURCE_BACKEND (account_ext), "imapx");
  e_source_mail_account_set_identity_uid (account_ext, e_source_get_uid (identity));
  set_server (account, "imapx", server_host (), server_port ("KONTOR_TEST_IMAPS_PORT", 993),
              "evo.user", "ssl-on-alternate-port");

  identity_ext = e_source_get_extension (identity, E_SOURCE_EXTENSION_MAIL_IDENTITY);
  e_source_mail_identity_set_address (identity_ext, EVOLUTION_EMAIL);
  e_source_mail_identity_set_name (identity_ext, "Evo User");
  submission_ext = e_source_get_extension (identity, E_SOURCE_EXTENSION_MAIL_SUBMISSION);
  e_source_mail_submission_set_transport_uid (submission_ext, e_source_get_uid (transport));

  transport_ext = e_source_get_extension (transport, E_SOURCE_EXTENSION_MAIL_TRANSPORT);
  e_source_backend_set_backend_name (E_SOURCE_BACKEND (transport_ext), "smtp");
  set_server (transport, "smtp", server_host (), server_port ("KONTOR_TEST_SMTP_PORT", 587),
              "evo.user", "starttls-on-standard-port");

  list = g_list_append (list, g_object_ref (account));
  list = g_list_append (list, g_object_ref (identity));
  list = g_list_append (list, g_object_ref (transport));
  e_source_registry_create_sources_sync (registry, list, NULL, &error);
  g_assert_no_error (error);
  return e_source_dup_uid (account);
}

/* As GNOME Online Accounts' registry module makes a Google account's collection. */
static char *
create_goa_collection (void)
{
  g_autoptr (ESource) collection = new_source (NULL, GOA_EMAIL);
  g_autolist (ESource) list = NULL;
  g_autoptr (GError) error = NULL;
  ESourceCollection *collection_ext;
  ESourceGoa *goa_ext;

  collection_ext = e_source_get_extension (collection, E_SOURCE_EXTENSION_COLLECTION);
  e_source_backend_set_backend_name (E_SOURCE_BACKEND (collection_ext), "google");
  e_source_collection_set_identity (collection_ext, GOA_EMAIL);
  goa_ext = e_source_get_extension (collection, E_SOURCE_EXTENSION_GOA);
  e_source_goa_set_account_id (goa_ext, GOA_ACCOUNT_ID);

  list = g_list_append (list, g_object_ref (collection));
  e_source_registry_create_sources_sync (registry, list, NULL, &error);
  g_assert_no_error (error);
  return e_source_dup_uid (collection);
}

static void
remove_source (const char *uid)
{
  g_autoptr (ESource) source = e_source_registry_ref_source (registry, uid);
  g_autoptr (GError) error = NULL;

  /* Removing a root removes its children as well. */
  if (source != NULL)
    e_source_remove_sync (source, NULL, &error);
  g_assert_no_error (error);
}

static void
fixture_set_up (Fixture *fixture, gconstpointer data)
{
  g_autofree char *config = g_build_filename (g_get_user_config_dir (), "kontor", NULL);
  g_autofree char *data_dir = g_build_filename (g_get_user_data_dir (), "kontor", NULL);
  g_autofree char *cache = g_build_filename (g_get_user_cache_dir (), "kontor", NULL);
  g_autoptr (GAsyncResult) result = NULL;
  g_autoptr (GError) error = NULL;

  fixture->service = kontor_account_service_new (config, data_dir, cache);
  kontor_account_service_load_async (fixture->service, NULL, store_result_cb, &result);
  kontor_account_service_load_finish (fixture->service, wait_for_result (&result), &error);
  g_assert_no_error (error);

  fixture->evolution_uid = create_evolution_account ();
  fixture->goa_uid = create_goa_collection ();
  wait_for_listing (fixture->service, fixture->evolution_uid, EVOLUTION_EMAIL, "mail");
  wait_for_listing (fixture->service, fixture->goa_uid, GOA_EMAIL, "calendar,contacts");
}

static void
fixture_tear_down (Fixture *fixture, gconstpointer data)
{
  remove_source (fixture->evolution_uid);
  remove_source (fixture->goa_uid);
  wait_for_listing (fixture->service, fixture->evolution_uid, NULL, NULL);
  wait_for_listing (fixture->service, fixture->goa_uid, NULL, NULL);
  g_free (fixture->evolution_uid);
  g_free (fixture->goa_uid);
  g_assert_finalize_object (g_steal_pointer (&fixture->service));
}

/* The cases. */

static void
test_listed (Fixture *fixture, gconstpointer data)
{
  KontorAccount *evolution =
    kontor_account_service_lookup (fixture->service, fixture->evolution_uid);
  KontorAccount *goa = kontor_account_service_lookup (fixture->service, fixture->goa_uid);
  const char *const mail[] = { "mail", NULL };
  const char *const dav[] = { "calendar", "contacts", NULL };
  const KontorAccountSettings *settings = kontor_account_get_settings (evolution);

  /* Only these two: the identity and transport are not accounts of their own. */
  g_assert_cmpuint (g_list_model_get_n_items (G_LIST_MODEL (fixture->service)), ==, 2);

  g_assert_cmpstr (kontor_account_get_email (evolution), ==, EVOLUTION_EMAIL);
  g_assert_cmpstrv (kontor_account_get_services (evolution), mail);
  g_assert_cmpstrv (kontor_account_get_available_services (evolution), mail);
  g_assert_false (kontor_account_get_read_only (evolution));
  g_assert_null (kontor_account_get_manager (evolution));
  g_assert_cmpstr (kontor_account_get_state (evolution), ==, "ready");
  g_assert_cmpstr (settings->username, ==, "evo.user");
  g_assert_cmpint (settings->imap_security, ==, KONTOR_SECURITY_TLS);
  g_assert_cmpint (settings->smtp_security, ==, KONTOR_SECURITY_STARTTLS);
  g_assert_cmpstr (settings->imap_host, ==, server_host ());
  g_assert_cmpuint (settings->imap_port, ==, server_port ("KONTOR_TEST_IMAPS_PORT", 993));
  g_assert_cmpstr (settings->smtp_host, ==, server_host ());
  g_assert_cmpuint (settings->smtp_port, ==, server_port ("KONTOR_TEST_SMTP_PORT", 587));

  g_assert_cmpstr (kontor_account_get_email (goa), ==, GOA_EMAIL);
  g_assert_cmpstrv (kontor_account_get_services (goa), dav);
  g_assert_true (kontor_account_get_read_only (goa));
  g_assert_cmpstr (kontor_account_get_manager (goa), ==, "goa");
}

static void
test_remove_goa (Fixture *fixture, gconstpointer data)
{
  g_autoptr (GAsyncResult) result = NULL;
  g_autoptr (ESource) source = NULL;
  g_autoptr (GError) error = NULL;

  kontor_account_service_remove_async (fixture->service, fixture->goa_uid, NULL, store_result_cb,
                                       &result);
  g_assert_false (
    kontor_account_service_remove_finish (fixture->service, wait_for_result (&result), &error));
  g_assert_error (error, KONTOR_ERROR, KONTOR_ERROR_NOT_SUPPORTED);

  /* Still there, for the registry and for the list. */
  source = e_source_registry_ref_source (registry, fixture->goa_uid);
  g_assert_nonnull (source);
  g_assert_nonnull (kontor_account_service_lookup (fixture->service, fixture->goa_uid));
}

static void
set_mail_enabled (Fixture *fixture, gboolean enabled)
{
  g_autoptr (GAsyncResult) result = NULL;
  g_autoptr (GError) error = NULL;

  kontor_account_service_set_enabled_async (fixture->service, fixture->evolution_uid, "mail",
                                            enabled, NULL, store_result_cb, &result);
  g_assert_true (kontor_account_service_set_enabled_finish (fixture->service,
                                                            wait_for_result (&result), &error));
  g_assert_no_error (error);
}

static void
test_enable_evolution (Fixture *fixture, gconstpointer data)
{
  KontorAccount *account;

  set_mail_enabled (fixture, FALSE);
  account = wait_for_listing (fixture->service, fixture->evolution_uid, EVOLUTION_EMAIL, "");
  g_assert_cmpstr (kontor_account_get_state (account), ==, "disabled");

  set_mail_enabled (fixture, TRUE);
  account = wait_for_listing (fixture->service, fixture->evolution_uid, EVOLUTION_EMAIL, "mail");
  g_assert_cmpstr (kontor_account_get_state (account), ==, "ready");
}

int
main (int argc, char **argv)
{
  g_autoptr (GError) error = NULL;
  int status;

  g_test_init (&argc, &argv, NULL);
  e_source_camel_register_types ();

  registry = e_source_registry_new_sync (NULL, &error);
  g_assert_no_error (error);

  g_test_add ("/kontor/foreign-accounts/listed", Fixture, NULL, fixture_set_up, test_listed,
              fixture_tear_down);
  g_test_add ("/kontor/foreign-accounts/remove-goa", Fixture, NULL, fixture_set_up, test_remove_goa,
              fixture_tear_down);
  g_test_add ("/kontor/foreign-accounts/enable-evolution", Fixture, NULL, fixture_set_up,
              test_enable_evolution, fixture_tear_down);

  status = g_test_run ();
  g_clear_object (&registry);
  return status;
}
