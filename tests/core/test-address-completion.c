/* SPDX-License-Identifier: GPL-3.0-or-later */
/* test-address-completion.c: completion from a CardDAV address book on the test
 * servers' Radicale, through EDS on the private bus, ranked below a recent recipient;
 * an unreachable address book does not hold the answer up. */
#define G_LOG_DOMAIN "kontor-test"

#include "config.h"

#include <stdlib.h>

#include <glib/gstdio.h>
G_GNUC_BEGIN_IGNORE_DEPRECATIONS
#include <libebook/libebook.h>
G_GNUC_END_IGNORE_DEPRECATIONS

#include "kontor-address-completion.h"

#define WAIT_SECONDS 30

static const char vcards[] =
  "BEGIN:VCARD\r\nVERSION:3.0\r\nUID:anna-mueller\r\nFN:Anna Müller\r\n"
  "N:Müller;Anna;;;\r\nEMAIL;TYPE=WORK:anna.mueller@example.org\r\nEND:VCARD\r\n"
  "BEGIN:VCARD\r\nVERSION:3.0\r\nUID:bernd-muster\r\nFN:Bernd Muster\r\n"
  "N:Muster;Bernd;;;\r\nEMAIL;TYPE=WORK:bernd.muster@work.example\r\n"
  "EMAIL;TYPE=HOME:bernd@home.example\r\nEND:VCARD\r\n"
  "BEGIN:VCARD\r\nVERSION:3.0\r\nUID:carl-other\r\nFN:Carl Other\r\n"
  "N:Other;Carl;;;\r\nEMAIL:carl@example.org\r\nEND:VCARD\r\n";

static ESourceRegistry *registry;

static const char *
env (const char *name)
{
  const char *value = g_getenv (name);

  if (value == NULL)
    g_error ("%s is not set: run under tests/servers/with-servers.sh --keyring", name);
  return value;
}

static void
seed_vcards (void)
{
  g_autofree char *path = g_build_filename (g_get_user_cache_dir (), "people.vcf", NULL);
  g_autoptr (GError) error = NULL;
  const char *argv[] = { env ("KONTOR_TEST_SERVERS_CLI"),
                         "seed-dav",
                         env ("KONTOR_TEST_SERVERS_DIR"),
                         env ("KONTOR_TEST_USER"),
                         "--vcf",
                         path,
                         NULL };
  int status;

  g_mkdir_with_parents (g_get_user_cache_dir (), 0700);
  g_assert_true (g_file_set_contents (path, vcards, -1, &error));
  g_assert_true (g_spawn_sync (NULL, (char **) argv, NULL, G_SPAWN_STDOUT_TO_DEV_NULL, NULL, NULL,
                               NULL, NULL, &status, &error));
  g_assert_no_error (error);
  g_assert_true (g_spawn_check_wait_status (status, &error));
}

/* Answers the backend's first request for credentials, as a desktop's prompter would;
 * signals arrive on this main context, which the test iterates while it waits. */
static void
credentials_required_cb (ESource *source,
                         ESourceCredentialsReason reason,
                         const char *certificate_pem,
                         GTlsCertificateFlags certificate_errors,
                         const GError *op_error,
                         gpointer user_data)
{
  ENamedParameters *credentials;

  if (reason != E_SOURCE_CREDENTIALS_REASON_REQUIRED)
    return;
  credentials = e_named_parameters_new ();
  e_named_parameters_set (credentials, E_SOURCE_CREDENTIAL_USERNAME, env ("KONTOR_TEST_USER"));
  e_named_parameters_set (credentials, E_SOURCE_CREDENTIAL_PASSWORD, env ("KONTOR_TEST_PASSWORD"));
  e_source_invoke_authenticate (source, credentials, NULL, NULL, NULL);
  e_named_parameters_free (credentials);
}

/* A CardDAV address book as EDS makes one, its password in the keyring. */
static ESource *
create_carddav_source (const char *display_name, const char *url)
{
  g_autoptr (GError) error = NULL;
  g_autoptr (GUri) uri = g_uri_parse (url, G_URI_FLAGS_NONE, &error);
  ESource *source = e_source_new (NULL, NULL, &error);
  g_autofree char *uid = NULL;
  ESourceAuthentication *auth;
  ESourceAddressBook *book;
  GList *list;

  g_assert_no_error (error);
  e_source_set_parent (source, "carddav-stub");
  e_source_set_display_name (source, display_name);
  book = e_source_get_extension (source, E_SOURCE_EXTENSION_ADDRESS_BOOK);
  e_source_backend_set_backend_name (E_SOURCE_BACKEND (book), "carddav");
  auth = e_source_get_extension (source, E_SOURCE_EXTENSION_AUTHENTICATION);
  e_source_authentication_set_host (auth, g_uri_get_host (uri));
  e_source_authentication_set_port (auth, g_uri_get_port (uri));
  e_source_authentication_set_user (auth, env ("KONTOR_TEST_USER"));
  e_source_authentication_set_method (auth, "plain/password");
  e_source_webdav_set_uri (e_source_get_extension (source, E_SOURCE_EXTENSION_WEBDAV_BACKEND), uri);

  e_source_store_password_sync (source, env ("KONTOR_TEST_PASSWORD"), TRUE, NULL, &error);
  g_assert_no_error (error);
  list = g_list_append (NULL, source);
  e_source_registry_create_sources_sync (registry, list, NULL, &error);
  g_list_free (list);
  g_assert_no_error (error);
  uid = e_source_dup_uid (source);
  g_object_unref (source);

  /* The registry's own object for the source is the one that gets its signals. */
  source = e_source_registry_ref_source (registry, uid);
  g_assert_nonnull (source);
  g_signal_connect (source, "credentials-required", G_CALLBACK (credentials_required_cb), NULL);
  return source;
}

/* EDS fills the book's cache from the server after it opens: wait for the contacts. */
static void
wait_for_contacts (ESource *source, guint count)
{
  gint64 deadline = g_get_monotonic_time () + WAIT_SECONDS * G_USEC_PER_SEC;
  g_autoptr (GError) error = NULL;
  g_autoptr (EClient) client = e_book_client_connect_sync (source, (guint32) -1, NULL, &error);

  g_assert_no_error (error);
  while (g_get_monotonic_time () < deadline)
    {
      GSList *uids = NULL;
      guint found = 0;

      if (e_book_client_get_contacts_uids_sync (E_BOOK_CLIENT (client), "", &uids, NULL, NULL))
        found = g_slist_length (uids);
      g_slist_free_full (uids, g_free);
      if (found >= count)
        return;
      e_client_refresh_sync (client, NULL, NULL);
      g_main_context_iteration (NULL, FALSE);
      g_usleep (200 * 1000);
    }
  g_error ("The address book did not show %u contacts within %u s", count, WAIT_SECONDS);
}

static void
store_result_cb (GObject *object, GAsyncResult *result, gpointer user_data)
{
  *(GAsyncResult **) user_data = g_object_ref (result);
}

static GListModel *
complete (KontorAddressCompletion *completion, const char *text)
{
  g_autoptr (GAsyncResult) result = NULL;
  g_autoptr (GError) error = NULL;
  GListModel *model;

  kontor_address_completion_complete_async (completion, text, 10, NULL, store_result_cb, &result);
  while (result == NULL)
    g_main_context_iteration (NULL, TRUE);
  model = kontor_address_completion_complete_finish (completion, result, &error);
  g_assert_no_error (error);
  return model;
}

static void
assert_result (GListModel *model,
               guint i,
               const char *name,
               const char *address,
               const char *source_name,
               KontorCompletionOrigin origin)
{
  g_autoptr (KontorCompletionResult) result = g_list_model_get_item (model, i);

  g_assert_nonnull (result);
  g_assert_cmpstr (kontor_completion_result_get_name (result), ==, name);
  g_assert_cmpstr (kontor_completion_result_get_address (result), ==, address);
  g_assert_cmpstr (kontor_completion_result_get_source_name (result), ==, source_name);
  g_assert_cmpint (kontor_completion_result_get_origin (result), ==, origin);
}

static KontorAccountService *
new_account_service (void)
{
  g_autofree char *config = g_build_filename (g_get_user_config_dir (), "kontor", NULL);
  g_autofree char *data = g_build_filename (g_get_user_data_dir (), "kontor", NULL);
  g_autofree char *cache = g_build_filename (g_get_user_cache_dir (), "kontor", NULL);

  return kontor_account_service_new (config, data, cache);
}

static void
test_carddav (void)
{
  const char *sent[] = { "Mungo Recent <mungo@example.net>", NULL };
  const char *sent_again[] = { "anna.mueller@EXAMPLE.org", NULL };
  g_autoptr (KontorAccountService) accounts = new_account_service ();
  g_autoptr (KontorAddressCompletion) completion = kontor_address_completion_new (accounts, NULL);
  g_autoptr (GListModel) model = NULL;
  g_autoptr (KontorCompletionResult) anna = NULL;

  kontor_address_completion_note_used (completion, sent);

  /* The recent recipient first, then the book's matches alphabetically, one per
   * address; Carl does not match. */
  model = complete (completion, "mu");
  g_assert_cmpuint (g_list_model_get_n_items (model), ==, 4);
  assert_result (model, 0, "Mungo Recent", "mungo@example.net", "Recent",
                 KONTOR_COMPLETION_ORIGIN_RECENT);
  assert_result (model, 1, "Anna Müller", "anna.mueller@example.org", "Team Contacts",
                 KONTOR_COMPLETION_ORIGIN_ADDRESS_BOOK);
  assert_result (model, 2, "Bernd Muster", "bernd.muster@work.example", "Team Contacts",
                 KONTOR_COMPLETION_ORIGIN_ADDRESS_BOOK);
  assert_result (model, 3, "Bernd Muster", "bernd@home.example", "Team Contacts",
                 KONTOR_COMPLETION_ORIGIN_ADDRESS_BOOK);
  g_clear_object (&model);

  /* Without the accent. */
  model = complete (completion, "mull");
  g_assert_cmpuint (g_list_model_get_n_items (model), ==, 1);
  assert_result (model, 0, "Anna Müller", "anna.mueller@example.org", "Team Contacts",
                 KONTOR_COMPLETION_ORIGIN_ADDRESS_BOOK);
  g_clear_object (&model);

  /* Once sent to, Anna is a recent recipient: listed once, first, with the book's name. */
  kontor_address_completion_note_used (completion, sent_again);
  model = complete (completion, "ANNA");
  g_assert_cmpuint (g_list_model_get_n_items (model), ==, 1);
  anna = g_list_model_get_item (model, 0);
  g_assert_cmpstr (kontor_completion_result_get_name (anna), ==, "Anna Müller");
  g_assert_cmpint (
    g_ascii_strcasecmp (kontor_completion_result_get_address (anna), "anna.mueller@example.org"),
    ==, 0);
  g_assert_cmpint (kontor_completion_result_get_origin (anna), ==, KONTOR_COMPLETION_ORIGIN_RECENT);
}

static void
test_unreachable (void)
{
  g_autofree char *closed =
    g_strdup_printf ("http://127.0.0.1:%s/test/contacts/", env ("KONTOR_TEST_CLOSED_PORT"));
  g_autofree char *tarpit =
    g_strdup_printf ("http://127.0.0.1:%s/test/contacts/", env ("KONTOR_TEST_FAULT_TARPIT_PORT"));
  g_autoptr (ESource) refused = create_carddav_source ("Refused", closed);
  g_autoptr (ESource) silent = create_carddav_source ("Silent", tarpit);
  g_autoptr (KontorAccountService) accounts = new_account_service ();
  g_autoptr (KontorAddressCompletion) completion = kontor_address_completion_new (accounts, NULL);
  g_autoptr (GListModel) model = NULL;
  gint64 start = g_get_monotonic_time ();

  /* A new service: every book is connected afresh, the broken ones too. */
  model = complete (completion, "bernd");
  g_test_message ("answered in %" G_GINT64_FORMAT " ms", (g_get_monotonic_time () - start) / 1000);
  g_assert_cmpint (g_get_monotonic_time () - start, <, 5 * G_USEC_PER_SEC);
  g_assert_cmpuint (g_list_model_get_n_items (model), ==, 2);
  assert_result (model, 0, "Bernd Muster", "bernd.muster@work.example", "Team Contacts",
                 KONTOR_COMPLETION_ORIGIN_ADDRESS_BOOK);
}

int
main (int argc, char **argv)
{
  g_autoptr (GError) error = NULL;
  g_autoptr (ESource) book = NULL;
  int status;

  g_test_init (&argc, &argv, NULL);

  registry = e_source_registry_new_sync (NULL, &error);
  g_assert_no_error (error);
  seed_vcards ();
  book = create_carddav_source ("Team Contacts", env ("KONTOR_TEST_CARDDAV_URL"));
  wait_for_contacts (book, 3);

  g_test_add_func ("/kontor/address-completion/carddav", test_carddav);
  g_test_add_func ("/kontor/address-completion/unreachable", test_unreachable);
  status = g_test_run ();

  g_clear_object (&registry);
  return status;
}
