/* SPDX-License-Identifier: GPL-3.0-or-later */
/* kontor-mail-draft.c: the description of a message to be written, and the recipient
 * lists that keep every address once however it was spelled. */
#define G_LOG_DOMAIN "kontor-mail"

#include "config.h"

#include <string.h>

#include "kontor-mail-draft.h"

struct _KontorMailDraftPrivate
{
  GHashTable *seen; /* case-folded addresses of @to, @cc and @bcc */
};

static void
draft_clear (KontorMailDraft *draft)
{
  g_free (draft->from);
  g_clear_pointer (&draft->to, g_ptr_array_unref);
  g_clear_pointer (&draft->cc, g_ptr_array_unref);
  g_clear_pointer (&draft->bcc, g_ptr_array_unref);
  g_free (draft->subject);
  g_free (draft->body);
  g_free (draft->in_reply_to);
  g_free (draft->references);
  g_clear_pointer (&draft->attachments, g_ptr_array_unref);
  g_clear_pointer (&draft->priv->seen, g_hash_table_unref);
  g_free (draft->priv);
}

/**
 * kontor_mail_draft_new:
 *
 * Returns: (transfer full): an empty draft: no identity, no recipients, empty subject
 *   and body
 */
KontorMailDraft *
kontor_mail_draft_new (void)
{
  KontorMailDraft *draft = g_atomic_rc_box_new0 (KontorMailDraft);

  draft->priv = g_new0 (KontorMailDraftPrivate, 1);
  draft->priv->seen = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, NULL);
  draft->identity = -1;
  draft->to = g_ptr_array_new_with_free_func (g_free);
  draft->cc = g_ptr_array_new_with_free_func (g_free);
  draft->bcc = g_ptr_array_new_with_free_func (g_free);
  draft->subject = g_strdup ("");
  draft->body = g_strdup ("");
  draft->attachments = g_ptr_array_new_with_free_func (g_object_unref);
  return draft;
}

KontorMailDraft *
kontor_mail_draft_ref (KontorMailDraft *draft)
{
  g_return_val_if_fail (draft != NULL, NULL);

  return g_atomic_rc_box_acquire (draft);
}

void
kontor_mail_draft_unref (KontorMailDraft *draft)
{
  g_return_if_fail (draft != NULL);

  g_atomic_rc_box_release_full (draft, (GDestroyNotify) draft_clear);
}

G_DEFINE_BOXED_TYPE (KontorMailDraft,
                     kontor_mail_draft,
                     kontor_mail_draft_ref,
                     kontor_mail_draft_unref)

/* Header text must stay on one line: a CR or LF from a link or a broken header would
 * start a header of its own once written. */
static void
append_one_line (GString *out, const char *text)
{
  for (const char *c = text; *c; c++)
    g_string_append_c (out, (guchar) *c < 0x20 || *c == 0x7f ? ' ' : *c);
}

/**
 * kontor_mail_draft_format_address:
 * @name: (nullable): the display name
 * @address: the address
 *
 * Formats one recipient as RFC 5322 writes it: the name is quoted when it holds a
 * special character ("Peters, Lon" or "Lon L. Peters"), and left out when empty or the
 * same as the address.
 *
 * Returns: (transfer full): "Name <address>" or "address"
 */
char *
kontor_mail_draft_format_address (const char *name, const char *address)
{
  g_autoptr (GString) out = g_string_new (NULL);
  g_autofree char *bare_name = name ? g_strstrip (g_strdup (name)) : NULL;

  g_return_val_if_fail (address != NULL, NULL);

  if (bare_name == NULL || *bare_name == '\0' || g_ascii_strcasecmp (bare_name, address) == 0)
    {
      append_one_line (out, address);
      return g_string_free (g_steal_pointer (&out), FALSE);
    }

  if (strpbrk (bare_name, "()<>[]:;@\\,.\"") != NULL)
    {
      g_autoptr (GString) line = g_string_new (NULL);

      append_one_line (line, bare_name);
      g_string_append_c (out, '"');
      for (const char *c = line->str; *c; c++)
        {
          if (*c == '"' || *c == '\\')
            g_string_append_c (out, '\\');
          g_string_append_c (out, *c);
        }
      g_string_append_c (out, '"');
    }
  else
    append_one_line (out, bare_name);

  g_string_append (out, " <");
  append_one_line (out, address);
  g_string_append_c (out, '>');
  return g_string_free (g_steal_pointer (&out), FALSE);
}

static char *
address_key (const char *address)
{
  g_autofree char *stripped = g_strstrip (g_strdup (address));

  return g_utf8_casefold (stripped, -1);
}

/**
 * kontor_mail_draft_has_recipient:
 * @draft: a #KontorMailDraft
 * @address: an address
 *
 * Returns: whether @address is among the recipients, whatever its case
 */
gboolean
kontor_mail_draft_has_recipient (KontorMailDraft *draft, const char *address)
{
  g_autofree char *key = NULL;

  g_return_val_if_fail (draft != NULL, FALSE);
  g_return_val_if_fail (address != NULL, FALSE);

  key = address_key (address);
  return g_hash_table_contains (draft->priv->seen, key);
}

/**
 * kontor_mail_draft_add_recipient:
 * @draft: a #KontorMailDraft
 * @field: the list to add to
 * @name: (nullable): the display name
 * @address: the address
 *
 * Adds a recipient unless its address is empty or already in any of the lists.
 *
 * Returns: whether it was added
 */
gboolean
kontor_mail_draft_add_recipient (KontorMailDraft *draft,
                                 KontorMailDraftField field,
                                 const char *name,
                                 const char *address)
{
  g_autofree char *key = NULL;
  GPtrArray *list;

  g_return_val_if_fail (draft != NULL, FALSE);
  g_return_val_if_fail (field <= KONTOR_MAIL_DRAFT_BCC, FALSE);

  if (address == NULL)
    return FALSE;
  key = address_key (address);
  if (*key == '\0' || g_hash_table_contains (draft->priv->seen, key))
    return FALSE;

  list = field == KONTOR_MAIL_DRAFT_TO   ? draft->to
         : field == KONTOR_MAIL_DRAFT_CC ? draft->cc
                                         : draft->bcc;
  g_ptr_array_add (list, kontor_mail_draft_format_address (name, address));
  g_hash_table_add (draft->priv->seen, g_steal_pointer (&key));
  return TRUE;
}

/**
 * kontor_mail_draft_add_recipients:
 * @draft: a #KontorMailDraft
 * @field: the list to add to
 * @addresses: the addresses, in order
 *
 * Adds each of @addresses as kontor_mail_draft_add_recipient() does.
 *
 * Returns: how many were added
 */
guint
kontor_mail_draft_add_recipients (KontorMailDraft *draft,
                                  KontorMailDraftField field,
                                  CamelInternetAddress *addresses)
{
  guint added = 0;
  int n;

  g_return_val_if_fail (draft != NULL, 0);
  g_return_val_if_fail (CAMEL_IS_INTERNET_ADDRESS (addresses), 0);

  n = camel_address_length (CAMEL_ADDRESS (addresses));
  for (int i = 0; i < n; i++)
    {
      const char *name = NULL;
      const char *address = NULL;

      if (camel_internet_address_get (addresses, i, &name, &address) &&
          kontor_mail_draft_add_recipient (draft, field, name, address))
        added++;
    }
  return added;
}
