/* SPDX-License-Identifier: GPL-3.0-or-later */
/* test-mail-list.c: the message list over a real Camel maildir folder: the newest rows
 * read before the folder is open, attaching it, the whole load, and rows made in
 * batches from the summary database with the flags Camel has in memory. */
#include "config.h"

#include <string.h>

#include <camel/camel.h>
#include <glib/gstdio.h>

#include "kontor-mail-message-list.h"
#include "kontor-mail-message.h"

#define N_MESSAGES 300
#define FOLDER     "Big"
#define FOLDER_ID  "acct/Big"

#define TEST_TYPE_SESSION (test_session_get_type ())
G_DECLARE_FINAL_TYPE (TestSession, test_session, TEST, SESSION, CamelSession)

struct _TestSession
{
  CamelSession parent_instance;
};

G_DEFINE_FINAL_TYPE (TestSession, test_session, CAMEL_TYPE_SESSION)

static void
test_session_class_init (TestSessionClass *klass)
{
}

static void
test_session_init (TestSession *self)
{
}

static char *test_dir;
static CamelSession *session;
static CamelStore *store;

/* Message i is sent i hours after the start of 2026: the newest has the highest i. */
static void
fill_folder (void)
{
  g_autoptr (GError) error = NULL;
  g_autoptr (CamelFolder) folder =
    camel_store_get_folder_sync (store, FOLDER, CAMEL_STORE_FOLDER_CREATE, NULL, &error);

  g_assert_no_error (error);
  for (int i = 0; i < N_MESSAGES; i++)
    {
      g_autoptr (CamelMimeMessage) message = camel_mime_message_new ();
      g_autoptr (CamelInternetAddress) from = camel_internet_address_new ();
      g_autoptr (CamelMessageInfo) info = camel_message_info_new (NULL);
      g_autofree char *subject = g_strdup_printf ("Message %03d", i);
      g_autofree char *name = g_strdup_printf ("Sender %03d", i);

      camel_internet_address_add (from, name, "sender@example.org");
      camel_mime_message_set_from (message, from);
      camel_mime_message_set_subject (message, subject);
      camel_mime_message_set_date (message, 1767225600 + i * 3600, 0);
      camel_mime_part_set_content (CAMEL_MIME_PART (message), "Text.\n", 6, "text/plain");
      camel_message_info_set_flags (info, ~0, i % 2 == 0 ? CAMEL_MESSAGE_SEEN : 0);
      camel_folder_append_message_sync (folder, message, info, NULL, NULL, &error);
      g_assert_no_error (error);
    }
  camel_folder_synchronize_sync (folder, FALSE, NULL, &error);
  g_assert_no_error (error);
}

static const char *
subject_at (KontorMailMessageList *list, guint position, KontorMailMessage **out)
{
  KontorMailMessage *message = g_list_model_get_item (G_LIST_MODEL (list), position);

  g_assert_nonnull (message);
  *out = message;
  return kontor_mail_message_get_subject (message);
}

static void
test_newest_then_whole (void)
{
  g_autoptr (KontorMailMessageList) list = kontor_mail_message_list_new ();
  g_autoptr (GError) error = NULL;
  g_autoptr (CamelFolder) folder = NULL;
  g_auto (GStrv) unopened = NULL;
  KontorMailMessage *message = NULL;

  kontor_mail_message_list_add_unopened (list, store, FOLDER, FOLDER_ID);
  unopened = kontor_mail_message_list_dup_unopened (list);
  g_assert_cmpstrv (unopened, ((const char *const[]){ FOLDER_ID, NULL }));

  /* The newest screenful, from the database alone, newest first. */
  g_assert_true (kontor_mail_message_list_load_newest_sync (list, 64, &error));
  g_assert_no_error (error);
  g_assert_cmpuint (g_list_model_get_n_items (G_LIST_MODEL (list)), ==, 64);
  g_assert_false (kontor_mail_message_list_get_loaded (list));
  g_assert_cmpstr (subject_at (list, 0, &message), ==, "Message 299");
  g_assert_cmpstr (kontor_mail_message_get_sender (message), ==, "Sender 299");
  g_assert_true (kontor_mail_message_get_unread (message));
  g_clear_object (&message);
  g_assert_cmpstr (subject_at (list, 63, &message), ==, "Message 236");
  g_assert_false (kontor_mail_message_get_unread (message)); /* 236 is even: read */
  g_clear_object (&message);

  /* Attached and read whole: every message, still newest first. */
  folder = camel_store_get_folder_sync (store, FOLDER, 0, NULL, &error);
  g_assert_no_error (error);
  kontor_mail_message_list_attach_folder (list, FOLDER_ID, folder);
  g_clear_pointer (&unopened, g_strfreev);
  unopened = kontor_mail_message_list_dup_unopened (list);
  g_assert_cmpstrv (unopened, ((const char *const[]){ NULL }));
  g_assert_true (kontor_mail_message_list_reload_sync (list, &error));
  g_assert_no_error (error);
  g_assert_true (kontor_mail_message_list_get_loaded (list));
  g_assert_cmpuint (g_list_model_get_n_items (G_LIST_MODEL (list)), ==, N_MESSAGES);

  /* Rows far from the first screen are made in batches from the summary. */
  for (guint i = 0; i < N_MESSAGES; i += 37)
    {
      g_autofree char *expected = g_strdup_printf ("Message %03u", N_MESSAGES - 1 - i);

      g_assert_cmpstr (subject_at (list, i, &message), ==, expected);
      g_clear_object (&message);
    }

  /* A flag changed in memory (not saved yet) shows in a row made after it: in a new
   * list, whose rows are all made afresh. */
  {
    g_autoptr (KontorMailMessageList) fresh = kontor_mail_message_list_new ();
    g_autofree char *uid = NULL;
    gboolean seen = FALSE;

    subject_at (list, N_MESSAGES - 1, &message);
    uid = g_strdup (kontor_mail_message_get_uid (message));
    g_assert_false (kontor_mail_message_get_flagged (message));
    g_clear_object (&message);
    g_assert_true (
      camel_folder_set_message_flags (folder, uid, CAMEL_MESSAGE_FLAGGED, CAMEL_MESSAGE_FLAGGED));
    kontor_mail_message_list_add_folder (fresh, folder, FOLDER_ID);
    g_assert_true (kontor_mail_message_list_reload_sync (fresh, &error));
    for (guint i = 0; i < N_MESSAGES; i++)
      {
        subject_at (fresh, i, &message);
        if (g_strcmp0 (kontor_mail_message_get_uid (message), uid) == 0)
          {
            g_assert_true (kontor_mail_message_get_flagged (message));
            seen = TRUE;
          }
        g_clear_object (&message);
      }
    g_assert_true (seen);
  }
}

static void
test_newest_skips_other_orders (void)
{
  g_autoptr (KontorMailMessageList) list = kontor_mail_message_list_new ();
  g_autoptr (GError) error = NULL;

  /* By sender, the newest rows are not the first ones: the whole load shows them. */
  kontor_mail_message_list_add_unopened (list, store, FOLDER, FOLDER_ID);
  kontor_mail_message_list_set_sort (list, KONTOR_MAIL_SORT_SENDER, FALSE);
  g_assert_true (kontor_mail_message_list_load_newest_sync (list, 64, &error));
  g_assert_cmpuint (g_list_model_get_n_items (G_LIST_MODEL (list)), ==, 0);
}

static void
test_newest_unread_filter (void)
{
  g_autoptr (KontorMailMessageList) list = kontor_mail_message_list_new ();
  g_autoptr (GError) error = NULL;
  KontorMailMessage *message = NULL;

  kontor_mail_message_list_add_unopened (list, store, FOLDER, FOLDER_ID);
  kontor_mail_message_list_set_filter (list, KONTOR_MAIL_FILTER_UNREAD);
  g_assert_true (kontor_mail_message_list_load_newest_sync (list, 10, &error));
  g_assert_cmpuint (g_list_model_get_n_items (G_LIST_MODEL (list)), ==, 10);
  g_assert_cmpstr (subject_at (list, 1, &message), ==, "Message 297");
  g_clear_object (&message);
}

int
main (int argc, char **argv)
{
  g_autoptr (GError) error = NULL;
  g_autofree char *maildir = NULL;
  g_autoptr (CamelSettings) settings = NULL;
  CamelService *service;
  int status;

  g_test_init (&argc, &argv, NULL);
  test_dir = g_dir_make_tmp ("kontor-mail-list-XXXXXX", &error);
  g_assert_no_error (error);
  maildir = g_build_filename (test_dir, "maildir", NULL);
  g_assert_cmpint (g_mkdir_with_parents (maildir, 0700), ==, 0);
  g_assert_cmpint (camel_init (test_dir, FALSE), ==, 0);
  camel_provider_init ();
  session =
    g_object_new (TEST_TYPE_SESSION, "user-data-dir", test_dir, "user-cache-dir", test_dir, NULL);
  service = camel_session_add_service (session, "acct", "maildir", CAMEL_PROVIDER_STORE, &error);
  g_assert_no_error (error);
  store = CAMEL_STORE (service);
  settings = camel_service_ref_settings (service);
  camel_local_settings_set_path (CAMEL_LOCAL_SETTINGS (settings), maildir);
  camel_service_connect_sync (service, NULL, &error);
  g_assert_no_error (error);
  fill_folder ();

  g_test_add_func ("/kontor/mail-list/newest-then-whole", test_newest_then_whole);
  g_test_add_func ("/kontor/mail-list/newest-only-by-date", test_newest_skips_other_orders);
  g_test_add_func ("/kontor/mail-list/newest-unread", test_newest_unread_filter);
  status = g_test_run ();

  camel_service_disconnect_sync (service, TRUE, NULL, NULL);
  g_clear_object (&store);
  g_clear_object (&session);
  camel_shutdown ();
  return status;
}
