/* SPDX-License-Identifier: GPL-3.0-or-later */
/* kontor-mail-signatures.c: the signature of each address the user sends from, main
 * address or alias alike, in one key file, $XDG_DATA_HOME/kontor/mail/signatures (a
 * group per address, folded to lower case). It is read once and kept in memory, so
 * the composer asks it while the user switches From without touching the disk; a
 * change is written whole, atomically. Any thread may use it. */
#define G_LOG_DOMAIN "kontor-mail"

#include "config.h"

#include <errno.h>
#include <glib/gi18n-lib.h>

#include "kontor-error.h"
#include "kontor-mail-identities.h"

static GMutex lock;
static GKeyFile *signatures; /* under lock */

static char *
dup_path (void)
{
  return g_build_filename (g_get_user_data_dir (), "kontor", "mail", "signatures", NULL);
}

/* Under lock. A damaged file counts as empty: signatures are not worth refusing to
 * write a message over. */
static GKeyFile *
ensure_loaded (void)
{
  g_autofree char *path = NULL;
  g_autoptr (GError) error = NULL;

  if (signatures != NULL)
    return signatures;
  signatures = g_key_file_new ();
  path = dup_path ();
  if (!g_key_file_load_from_file (signatures, path, G_KEY_FILE_NONE, &error) &&
      !g_error_matches (error, G_FILE_ERROR, G_FILE_ERROR_NOENT))
    g_warning ("The signatures in %s cannot be read: %s", path, error->message);
  return signatures;
}

static char *
dup_group (const char *address)
{
  return g_ascii_strdown (g_strstrip (g_strdup (address)), -1);
}

/**
 * kontor_mail_signatures_dup:
 *
 * Returns: (transfer full) (nullable): the signature of @address, %NULL for none
 */
char *
kontor_mail_signatures_dup (const char *address)
{
  g_autoptr (GMutexLocker) locker = g_mutex_locker_new (&lock);
  g_autofree char *group = NULL;
  char *text;

  g_return_val_if_fail (address != NULL, NULL);
  group = dup_group (address);
  text = g_key_file_get_string (ensure_loaded (), group, "text", NULL);
  if (text != NULL && *text == '\0')
    g_clear_pointer (&text, g_free);
  return text;
}

/**
 * kontor_mail_signatures_set:
 * @text: (nullable): the signature without its "-- " line; %NULL or "" for none
 *
 * Stores the signature of @address; blocks on a small file write.
 */
gboolean
kontor_mail_signatures_set (const char *address, const char *text, GError **error)
{
  g_autoptr (GMutexLocker) locker = g_mutex_locker_new (&lock);
  g_autofree char *group = NULL;
  g_autofree char *path = dup_path ();
  g_autofree char *dir = g_path_get_dirname (path);
  g_autofree char *data = NULL;
  g_autofree char *trimmed = NULL;
  g_autoptr (GError) local_error = NULL;
  GKeyFile *file = ensure_loaded ();
  gsize length;

  g_return_val_if_fail (address != NULL, FALSE);
  if (!kontor_email_is_valid (address))
    {
      g_set_error (error, KONTOR_ERROR, KONTOR_ERROR_INVALID_ARGUMENT,
                   _ ("“%s” is not an e-mail address"), address);
      return FALSE;
    }
  group = dup_group (address);
  /* Trailing blank lines would only push the message's end down. */
  trimmed = g_strchomp (g_strdup (text != NULL ? text : ""));
  if (*trimmed == '\0')
    g_key_file_remove_group (file, group, NULL);
  else
    g_key_file_set_string (file, group, "text", trimmed);
  data = g_key_file_to_data (file, &length, NULL);
  if (g_mkdir_with_parents (dir, 0700) != 0)
    g_set_error (&local_error, G_FILE_ERROR, g_file_error_from_errno (errno), "%s: %s", dir,
                 g_strerror (errno));
  else
    g_file_set_contents_full (path, data, length, G_FILE_SET_CONTENTS_CONSISTENT, 0600,
                              &local_error);
  if (local_error != NULL)
    {
      g_set_error (error, KONTOR_ERROR, KONTOR_ERROR_FAILED,
                   _ ("The signature cannot be stored: %s"), local_error->message);
      /* What is on disk is the truth again. */
      g_clear_pointer (&signatures, g_key_file_unref);
      return FALSE;
    }
  return TRUE;
}

/* The signature block as RFC 3676 separates it: "-- " alone on a line, then the text. */
char *
kontor_mail_signature_format (const char *text)
{
  g_return_val_if_fail (text != NULL, NULL);
  return g_strconcat ("-- \n", text, NULL);
}

/**
 * kontor_mail_signature_append:
 * @signature: (nullable): the signature's text, %NULL for none
 *
 * Returns: (transfer full): @body with @signature at its end, or a copy of @body
 */
char *
kontor_mail_signature_append (const char *body, const char *signature)
{
  g_autofree char *block = NULL;

  if (signature == NULL || *signature == '\0')
    return g_strdup (body != NULL ? body : "");
  block = kontor_mail_signature_format (signature);
  if (body == NULL || *body == '\0')
    return g_steal_pointer (&block);
  return g_strconcat (body, g_str_has_suffix (body, "\n") ? "\n" : "\n\n", block, NULL);
}
