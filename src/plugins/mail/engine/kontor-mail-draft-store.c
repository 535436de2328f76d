/* SPDX-License-Identifier: GPL-3.0-or-later */
/* kontor-mail-draft-store.c: drafts in the account's Drafts folder. Each save appends a
 * new copy and only then deletes and expunges the one it replaces (its uid, which the
 * server gave at the append: UIDPLUS), so a failure at any point leaves at least one
 * copy and a success exactly one. A stored draft reads back with its Bcc header, its
 * threading headers and its attachments, for the composer to go on with it. */
#define G_LOG_DOMAIN "kontor-mail"

#include "config.h"

#include <glib/gi18n-lib.h>

#include "kontor-error.h"
#include "kontor-mail-content.h"
#include "kontor-mail-draft-store.h"

static KontorMailAccount *
ref_account (KontorMailEngine *engine, const char *account_id, GError **error)
{
  KontorMailAccount *account = kontor_mail_engine_lookup_account (engine, account_id);

  if (account == NULL)
    {
      g_set_error (error, KONTOR_ERROR, KONTOR_ERROR_NOT_FOUND, _ ("No mail account “%s” exists"),
                   account_id);
      return NULL;
    }
  if (kontor_mail_engine_get_work_offline (engine))
    {
      g_set_error_literal (error, KONTOR_ERROR, KONTOR_ERROR_OFFLINE, _ ("Working offline"));
      return NULL;
    }
  return g_object_ref (account);
}

/**
 * kontor_mail_draft_store_sync:
 * @account_id: the account whose Drafts folder gets the draft
 * @replaces: (nullable): the message id of the copy stored before, deleted once the new
 *   one is stored
 *
 * Returns: (transfer full): the new copy's message id, or "" when the server did not
 *   say which uid it took; %NULL with an error (KONTOR_ERROR_OFFLINE when working
 *   offline or the server cannot be reached, NOT_FOUND without a Drafts folder)
 */
char *
kontor_mail_draft_store_sync (KontorMailEngine *engine,
                              const char *account_id,
                              const KontorMailComposeFields *fields,
                              const KontorMailSender *sender,
                              const char *replaces,
                              GCancellable *cancellable,
                              GError **error)
{
  g_autoptr (KontorMailAccount) account = NULL;
  g_autoptr (CamelMimeMessage) message = NULL;
  g_autoptr (CamelFolder) folder = NULL;
  g_autoptr (CamelMessageInfo) info = NULL;
  g_autofree char *uid = NULL;
  g_autofree char *folder_id = NULL;
  g_autoptr (GError) local_error = NULL;

  g_return_val_if_fail (KONTOR_IS_MAIL_ENGINE (engine), NULL);
  g_return_val_if_fail (account_id != NULL && fields != NULL && sender != NULL, NULL);

  if ((account = ref_account (engine, account_id, error)) == NULL ||
      (message = kontor_mail_compose_build_draft (fields, sender, cancellable, error)) == NULL)
    return NULL;
  folder =
    kontor_mail_account_ref_role_folder_sync (account, KONTOR_MAIL_ROLE_DRAFTS, cancellable, error);
  if (folder == NULL)
    {
      kontor_mail_error_from_camel (error);
      return NULL;
    }
  info = camel_message_info_new (NULL);
  camel_message_info_set_flags (info, CAMEL_MESSAGE_DRAFT | CAMEL_MESSAGE_SEEN,
                                CAMEL_MESSAGE_DRAFT | CAMEL_MESSAGE_SEEN);
  if (!camel_folder_append_message_sync (folder, message, info, &uid, cancellable, error))
    {
      kontor_mail_error_from_camel (error);
      return NULL;
    }
  folder_id = kontor_mail_folder_id_build (account_id, camel_folder_get_full_name (folder));
  /* The new copy is safe: the old one may go. If it cannot, the next save tries again
   * with the same id only if this one is lost too; a second copy is better than none. */
  if (replaces != NULL && *replaces != '\0' &&
      !kontor_mail_draft_remove_sync (engine, replaces, cancellable, &local_error))
    g_message ("The previous copy of a draft stays in Drafts: %s", local_error->message);
  return uid != NULL ? kontor_mail_message_id_build (folder_id, uid) : g_strdup ("");
}

/**
 * kontor_mail_draft_remove_sync:
 * @message_id: a stored draft
 *
 * Deletes the draft for good (\Deleted and expunged): it was replaced, sent or
 * discarded, and is not worth a place in the Trash. A draft already gone is no error.
 */
gboolean
kontor_mail_draft_remove_sync (KontorMailEngine *engine,
                               const char *message_id,
                               GCancellable *cancellable,
                               GError **error)
{
  g_autofree char *folder_id = NULL;
  g_autofree char *uid = NULL;
  g_autofree char *account_id = NULL;
  g_autofree char *full_name = NULL;
  g_autoptr (KontorMailAccount) account = NULL;
  g_autoptr (CamelFolder) folder = NULL;

  g_return_val_if_fail (KONTOR_IS_MAIL_ENGINE (engine), FALSE);
  g_return_val_if_fail (message_id != NULL, FALSE);

  if (!kontor_mail_message_id_parse (message_id, &folder_id, &uid) ||
      !kontor_mail_folder_id_parse (folder_id, &account_id, &full_name))
    {
      g_set_error (error, KONTOR_ERROR, KONTOR_ERROR_INVALID_ARGUMENT,
                   _ ("“%s” is not a message id"), message_id);
      return FALSE;
    }
  if ((account = ref_account (engine, account_id, error)) == NULL)
    return FALSE;
  if (!kontor_mail_account_connect_sync (account, cancellable, error) ||
      (folder = kontor_mail_account_ref_folder_sync (account, full_name, cancellable, error)) ==
        NULL)
    {
      kontor_mail_error_from_camel (error);
      return FALSE;
    }
  if (!camel_folder_set_message_flags (folder, uid, CAMEL_MESSAGE_DELETED | CAMEL_MESSAGE_SEEN,
                                       CAMEL_MESSAGE_DELETED | CAMEL_MESSAGE_SEEN))
    return TRUE;
  if (!camel_folder_synchronize_sync (folder, TRUE, cancellable, error))
    {
      kontor_mail_error_from_camel (error);
      return FALSE;
    }
  return TRUE;
}

/* The message is in a folder whose role is Drafts: opening it edits it. */
gboolean
kontor_mail_draft_is_stored (KontorMailEngine *engine, const char *message_id)
{
  g_autofree char *folder_id = NULL;
  KontorMailFolder *folder;

  g_return_val_if_fail (KONTOR_IS_MAIL_ENGINE (engine), FALSE);

  if (message_id == NULL || !kontor_mail_message_id_parse (message_id, &folder_id, NULL))
    return FALSE;
  folder = kontor_mail_engine_lookup_folder (engine, folder_id);
  return folder != NULL && kontor_mail_folder_get_role (folder) == KONTOR_MAIL_ROLE_DRAFTS;
}

/* A header of Message-IDs on one line, or NULL. */
static char *
dup_ids_header (CamelMimeMessage *message, const char *name)
{
  const char *raw = camel_medium_get_header (CAMEL_MEDIUM (message), name);
  g_autofree char *unfolded = NULL;

  if (raw == NULL)
    return NULL;
  unfolded = camel_header_unfold (raw);
  g_strstrip (g_strdelimit (unfolded, "\r\n\t", ' '));
  return *unfolded != '\0' ? g_steal_pointer (&unfolded) : NULL;
}

/* The parts after the text of a multipart/mixed: what Kontor, Thunderbird and Evolution
 * attach to a draft. */
static void
add_attachments (KontorMailDraft *draft, CamelMimeMessage *message)
{
  CamelDataWrapper *content = camel_medium_get_content (CAMEL_MEDIUM (message));
  CamelContentType *type = camel_mime_part_get_content_type (CAMEL_MIME_PART (message));
  guint n;

  if (!CAMEL_IS_MULTIPART (content) || !camel_content_type_is (type, "multipart", "mixed"))
    return;
  n = camel_multipart_get_number (CAMEL_MULTIPART (content));
  for (guint i = 1; i < n; i++)
    g_ptr_array_add (draft->attachments,
                     g_object_ref (camel_multipart_get_part (CAMEL_MULTIPART (content), i)));
}

/**
 * kontor_mail_draft_new_from_message:
 * @message: a draft stored in a Drafts folder
 *
 * Returns: (transfer full): its sender, recipients (Bcc included), subject, text,
 *   threading headers and attachments
 */
KontorMailDraft *
kontor_mail_draft_new_from_message (CamelMimeMessage *message)
{
  KontorMailDraft *draft = kontor_mail_draft_new ();
  g_autoptr (KontorMailContent) content = NULL;
  CamelInternetAddress *from;
  const char *name = NULL, *address = NULL;
  const struct
  {
    const char *type;
    KontorMailDraftField field;
  } lists[] = {
    { CAMEL_RECIPIENT_TYPE_TO, KONTOR_MAIL_DRAFT_TO },
    { CAMEL_RECIPIENT_TYPE_CC, KONTOR_MAIL_DRAFT_CC },
    { CAMEL_RECIPIENT_TYPE_BCC, KONTOR_MAIL_DRAFT_BCC },
  };

  g_return_val_if_fail (CAMEL_IS_MIME_MESSAGE (message), draft);

  content = kontor_mail_content_new (message);
  from = camel_mime_message_get_from (message);
  if (from != NULL && camel_internet_address_get (from, 0, &name, &address))
    draft->from = kontor_mail_draft_format_address (name, address);
  for (guint i = 0; i < G_N_ELEMENTS (lists); i++)
    {
      CamelInternetAddress *addresses = camel_mime_message_get_recipients (message, lists[i].type);

      if (addresses != NULL)
        kontor_mail_draft_add_recipients (draft, lists[i].field, addresses);
    }
  g_free (draft->subject);
  draft->subject = g_strdup (content->subject != NULL ? content->subject : "");
  g_free (draft->body);
  draft->body = g_strdup (content->text);
  draft->in_reply_to = dup_ids_header (message, "In-Reply-To");
  draft->references = dup_ids_header (message, "References");
  add_attachments (draft, message);
  return draft;
}
