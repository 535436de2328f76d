/* SPDX-License-Identifier: GPL-3.0-or-later */
/* kontor-mail-reply.c: answers and forwards the way mail users know them from
 * Thunderbird and Evolution: to the sender, the list or everyone as the message asks,
 * the user's own addresses left out, from the identity that received the message, kept
 * in its thread. */
#define G_LOG_DOMAIN "kontor-mail"

#include "config.h"

#include <string.h>

#include <glib/gi18n-lib.h>

#include "kontor-mail-content.h"
#include "kontor-mail-reply-private.h"

/* References are the parent's plus its Message-ID (RFC 5322 §3.6.4); a long chain is
 * shortened as news software does (RFC 5537 §3.4.4): the first id, the thread's start,
 * and the latest ones are what threading needs. */
#define MAX_REFERENCES 20

/* Addresses and identities */

/* Every header @name of @message (some mailers repeat To:), or the Delivered-To and
 * X-Original-To the receiving server added when @name is NULL: raw 8-bit text in
 * whatever charset made UTF-8, RFC 2047 names decoded, even within quotes. */
static CamelInternetAddress *
parse_addresses (CamelMimeMessage *message, const char *name)
{
  const CamelNameValueArray *headers = camel_medium_get_headers (CAMEL_MEDIUM (message));
  CamelInternetAddress *addresses = camel_internet_address_new ();
  guint n = headers ? camel_name_value_array_get_length (headers) : 0;

  for (guint i = 0; i < n; i++)
    {
      const char *header = NULL;
      const char *raw = NULL;
      g_autofree char *utf8 = NULL;
      g_autoptr (CamelInternetAddress) parsed = NULL;
      int count;

      if (!camel_name_value_array_get (headers, i, &header, &raw) || raw == NULL)
        continue;
      if (name != NULL ? g_ascii_strcasecmp (header, name) != 0
                       : g_ascii_strcasecmp (header, "Delivered-To") != 0 &&
                           g_ascii_strcasecmp (header, "X-Original-To") != 0)
        continue;

      utf8 = kontor_mail_decode_to_utf8 (raw, strlen (raw), NULL);
      parsed = camel_internet_address_new ();
      count = camel_address_decode (CAMEL_ADDRESS (parsed), utf8);
      for (int j = 0; j < count; j++)
        {
          const char *display = NULL;
          const char *address = NULL;
          g_autofree char *decoded = NULL;

          if (!camel_internet_address_get (parsed, j, &display, &address))
            continue;
          if (display != NULL && strstr (display, "=?") != NULL)
            decoded = camel_header_decode_string (display, NULL);
          camel_internet_address_add (addresses, decoded ? decoded : display, address);
        }
    }
  return addresses;
}

static gboolean
same_address (const char *a, const char *b)
{
  g_autofree char *folded_a = NULL;
  g_autofree char *folded_b = NULL;

  if (a == NULL || b == NULL)
    return FALSE;
  folded_a = g_utf8_casefold (a, -1);
  folded_b = g_utf8_casefold (b, -1);
  return strcmp (g_strstrip (folded_a), g_strstrip (folded_b)) == 0;
}

/* The address of @identity that @address is: -1 for its own, the index of the alias
 * otherwise, or -2 when it is neither. An alias is "address" or "Name <address>". */
static int
identity_match (const KontorMailIdentity *identity, const char *address)
{
  if (same_address (identity->address, address))
    return -1;
  for (guint i = 0; identity->aliases != NULL && identity->aliases[i] != NULL; i++)
    {
      g_autoptr (CamelInternetAddress) alias = camel_internet_address_new ();
      const char *alias_address = NULL;

      if (camel_address_decode (CAMEL_ADDRESS (alias), identity->aliases[i]) <= 0 ||
          !camel_internet_address_get (alias, 0, NULL, &alias_address))
        alias_address = identity->aliases[i];
      if (same_address (alias_address, address))
        return (int) i;
    }
  return -2;
}

static gboolean
identity_has (const KontorMailIdentity *identity, const char *address)
{
  return identity_match (identity, address) != -2;
}

/* The first identity, in the user's order, that one of @addresses reaches, or -1;
 * @out_alias (nullable) tells through which alias (-1: its own address). */
static int
find_identity (const KontorMailIdentity *identities,
               guint n_identities,
               CamelInternetAddress *addresses,
               int *out_alias)
{
  int n = camel_address_length (CAMEL_ADDRESS (addresses));

  for (guint i = 0; i < n_identities; i++)
    for (int j = 0; j < n; j++)
      {
        const char *address = NULL;
        int alias;

        if (camel_internet_address_get (addresses, j, NULL, &address) &&
            (alias = identity_match (&identities[i], address)) != -2)
          {
            if (out_alias != NULL)
              *out_alias = alias;
            return (int) i;
          }
      }
  if (out_alias != NULL)
    *out_alias = -1;
  return -1;
}

static gboolean
is_own (const KontorMailIdentity *identities, guint n_identities, const char *address)
{
  for (guint i = 0; i < n_identities; i++)
    if (identity_has (&identities[i], address))
      return TRUE;
  return FALSE;
}

static void
add_others (KontorMailDraft *draft,
            KontorMailDraftField field,
            CamelInternetAddress *addresses,
            const KontorMailIdentity *identities,
            guint n_identities)
{
  int n = camel_address_length (CAMEL_ADDRESS (addresses));

  for (int i = 0; i < n; i++)
    {
      const char *name = NULL;
      const char *address = NULL;

      if (camel_internet_address_get (addresses, i, &name, &address) &&
          !is_own (identities, n_identities, address))
        kontor_mail_draft_add_recipient (draft, field, name, address);
    }
}

/* The first mailto: of an RFC 2369 List-Post ("<mailto:list@host>", maybe after other
 * URLs, maybe with comments); "NO" and web forms are no address. */
static char *
dup_list_post_address (CamelMimeMessage *message)
{
  const char *raw = camel_medium_get_header (CAMEL_MEDIUM (message), "List-Post");

  for (const char *p = raw ? strchr (raw, '<') : NULL; p != NULL; p = strchr (p, '<'))
    {
      const char *end = strchr (p, '>');
      g_autoptr (GString) url = g_string_new (NULL);
      g_autofree char *address = NULL;
      char *query;

      if (end == NULL)
        break;
      /* Whitespace in the brackets is folding, not part of the URL. */
      for (const char *c = p + 1; c < end; c++)
        if (!g_ascii_isspace (*c))
          g_string_append_c (url, *c);
      p = end + 1;

      if (g_ascii_strncasecmp (url->str, "mailto:", 7) != 0)
        continue;
      if ((query = strchr (url->str, '?')) != NULL)
        *query = '\0';
      address = g_uri_unescape_string (url->str + 7, NULL);
      if (address != NULL && g_utf8_validate (address, -1, NULL) && strchr (address, '@'))
        return g_steal_pointer (&address);
    }
  return NULL;
}

static void
add_reply_recipients (KontorMailDraft *draft,
                      CamelMimeMessage *message,
                      const KontorMailIdentity *identities,
                      guint n_identities,
                      KontorMailReplyMode mode)
{
  g_autoptr (CamelInternetAddress) from = parse_addresses (message, "From");
  g_autoptr (CamelInternetAddress) to = parse_addresses (message, "To");
  g_autoptr (CamelInternetAddress) cc = parse_addresses (message, "Cc");
  g_autoptr (CamelInternetAddress) reply_to = parse_addresses (message, "Reply-To");
  gboolean own = find_identity (identities, n_identities, from, NULL) >= 0;

  if (mode == KONTOR_MAIL_REPLY_MODE_REPLY_LIST)
    {
      g_autofree char *list = dup_list_post_address (message);

      if (list != NULL)
        {
          kontor_mail_draft_add_recipient (draft, KONTOR_MAIL_DRAFT_TO, NULL, list);
          return;
        }
      draft->no_list_found = TRUE;
    }

  if (own && mode == KONTOR_MAIL_REPLY_MODE_REPLY_ALL)
    {
      add_others (draft, KONTOR_MAIL_DRAFT_TO, to, identities, n_identities);
      add_others (draft, KONTOR_MAIL_DRAFT_CC, cc, identities, n_identities);
    }
  else if (own)
    kontor_mail_draft_add_recipients (draft, KONTOR_MAIL_DRAFT_TO, to);
  else
    {
      /* A Reply-To without a usable address ("Name" <>) is no Reply-To. */
      if (kontor_mail_draft_add_recipients (draft, KONTOR_MAIL_DRAFT_TO, reply_to) == 0)
        kontor_mail_draft_add_recipients (draft, KONTOR_MAIL_DRAFT_TO, from);
      if (mode == KONTOR_MAIL_REPLY_MODE_REPLY_ALL)
        {
          add_others (draft, KONTOR_MAIL_DRAFT_CC, to, identities, n_identities);
          add_others (draft, KONTOR_MAIL_DRAFT_CC, cc, identities, n_identities);
        }
    }

  /* The user wrote to themselves only, or to Bcc: the Cc go up, or the sender. */
  if (draft->to->len == 0)
    {
      GPtrArray *swap = draft->to;

      draft->to = draft->cc;
      draft->cc = swap;
    }
  if (draft->to->len == 0)
    kontor_mail_draft_add_recipients (draft, KONTOR_MAIL_DRAFT_TO, from);
}

static void
choose_identity (KontorMailDraft *draft,
                 CamelMimeMessage *message,
                 const KontorMailIdentity *identities,
                 guint n_identities)
{
  g_autoptr (CamelInternetAddress) from = parse_addresses (message, "From");
  g_autoptr (CamelInternetAddress) to = parse_addresses (message, "To");
  g_autoptr (CamelInternetAddress) cc = parse_addresses (message, "Cc");
  g_autoptr (CamelInternetAddress) delivered = parse_addresses (message, NULL);
  const KontorMailIdentity *identity;
  int chosen;
  int alias = -1;

  /* Who sent it, when it was the user, then who received it. */
  chosen = find_identity (identities, n_identities, from, &alias);
  if (chosen < 0)
    chosen = find_identity (identities, n_identities, to, &alias);
  if (chosen < 0)
    chosen = find_identity (identities, n_identities, cc, &alias);
  if (chosen < 0)
    chosen = find_identity (identities, n_identities, delivered, &alias);
  if (chosen < 0 && n_identities > 0)
    chosen = 0;

  draft->identity = chosen;
  if (chosen < 0)
    return;
  identity = &identities[chosen];
  if (alias >= 0)
    {
      /* Sent to an alias: the answer comes from that alias, with its own name if it
       * has one. */
      g_autoptr (CamelInternetAddress) parsed = camel_internet_address_new ();
      const char *name = NULL;
      const char *address = NULL;

      if (camel_address_decode (CAMEL_ADDRESS (parsed), identity->aliases[alias]) > 0 &&
          camel_internet_address_get (parsed, 0, &name, &address))
        draft->from = kontor_mail_draft_format_address (
          name != NULL && *name != '\0' ? name : identity->name, address);
      else
        draft->from = kontor_mail_draft_format_address (identity->name, identity->aliases[alias]);
    }
  else if (identity->address != NULL)
    draft->from = kontor_mail_draft_format_address (identity->name, identity->address);
}

/* Threading */

static gboolean
contains_id (GPtrArray *ids, const char *id)
{
  for (guint i = 0; i < ids->len; i++)
    if (strcmp (g_ptr_array_index (ids, i), id) == 0)
      return TRUE;
  return FALSE;
}

/* Adds the "<id>"s of a References or In-Reply-To header to @ids, in order, skipping
 * (comments) and what has no brackets: broken mailers put addresses or dates there. */
static void
add_ids (GPtrArray *ids, const char *header)
{
  int depth = 0;

  for (const char *p = header; p != NULL && *p != '\0'; p++)
    {
      const char *end;
      g_autoptr (GString) id = NULL;

      if (*p == '\\' && depth > 0 && p[1] != '\0')
        p++;
      else if (*p == '(')
        depth++;
      else if (*p == ')' && depth > 0)
        depth--;
      if (depth > 0 || *p != '<' || (end = strchr (p, '>')) == NULL)
        continue;

      /* Whitespace inside is folding. */
      id = g_string_new (NULL);
      for (const char *c = p + 1; c < end; c++)
        if (!g_ascii_isspace (*c))
          g_string_append_c (id, *c);
      if (id->len > 0 && strchr (id->str, '<') == NULL && !contains_id (ids, id->str))
        g_ptr_array_add (ids, g_string_free (g_steal_pointer (&id), FALSE));
      p = end;
    }
}

static void
set_threading (KontorMailDraft *draft, CamelMimeMessage *message, const char *message_id)
{
  const char *references = camel_medium_get_header (CAMEL_MEDIUM (message), "References");
  const char *in_reply_to = camel_medium_get_header (CAMEL_MEDIUM (message), "In-Reply-To");
  g_autoptr (GPtrArray) ids = g_ptr_array_new_with_free_func (g_free);
  g_autoptr (GString) out = g_string_new (NULL);

  add_ids (ids, references);
  if (ids->len == 0)
    add_ids (ids, in_reply_to);

  if (message_id != NULL)
    {
      draft->in_reply_to = g_strdup_printf ("<%s>", message_id);
      if (!contains_id (ids, message_id))
        g_ptr_array_add (ids, g_strdup (message_id));
    }

  if (ids->len > MAX_REFERENCES)
    g_ptr_array_remove_range (ids, 1, ids->len - MAX_REFERENCES);
  for (guint i = 0; i < ids->len; i++)
    g_string_append_printf (out, "%s<%s>", i > 0 ? " " : "", (char *) g_ptr_array_index (ids, i));
  if (out->len > 0)
    draft->references = g_string_free (g_steal_pointer (&out), FALSE);
}

/* The sender as an attribution names them. */
static char *
dup_sender_name (CamelMimeMessage *message)
{
  g_autoptr (CamelInternetAddress) from = parse_addresses (message, "From");
  const char *name = NULL;
  const char *address = NULL;

  if (!camel_internet_address_get (from, 0, &name, &address))
    return NULL;
  return g_strdup (name != NULL && *name != '\0' ? name : address);
}

/* Forwards */

/* Adds the parts inside @wrapper to @inside. */
static void
add_descendants (GHashTable *inside, CamelDataWrapper *wrapper, guint depth)
{
  if (depth > 64)
    return;
  if (CAMEL_IS_MULTIPART (wrapper))
    {
      for (guint i = 0; i < camel_multipart_get_number (CAMEL_MULTIPART (wrapper)); i++)
        {
          CamelMimePart *part = camel_multipart_get_part (CAMEL_MULTIPART (wrapper), i);

          g_hash_table_add (inside, part);
          add_descendants (inside, camel_medium_get_content (CAMEL_MEDIUM (part)), depth + 1);
        }
    }
  else if (CAMEL_IS_MIME_PART (wrapper))
    add_descendants (inside, camel_medium_get_content (CAMEL_MEDIUM (wrapper)), depth + 1);
}

/* The original's attachments, but not those inside an attached message: that message
 * carries them already. */
static void
add_forwarded_attachments (KontorMailDraft *draft, KontorMailContent *content)
{
  g_autoptr (GHashTable) inside = g_hash_table_new (NULL, NULL);

  for (guint i = 0; i < content->attachments->len; i++)
    {
      KontorMailAttachment *attachment = g_ptr_array_index (content->attachments, i);
      CamelDataWrapper *wrapper = camel_medium_get_content (CAMEL_MEDIUM (attachment->part));

      if (g_hash_table_contains (inside, attachment->part))
        continue;
      g_ptr_array_add (draft->attachments, g_object_ref (attachment->part));
      if (CAMEL_IS_MIME_MESSAGE (wrapper))
        add_descendants (inside, wrapper, 0);
    }
}

static CamelMimePart *
wrap_message (CamelMimeMessage *message, const char *subject)
{
  CamelMimePart *part = camel_mime_part_new ();
  g_autofree char *name = NULL;

  /* A file name: the subject without what file systems or the header refuse. */
  name = g_strconcat (subject && *subject ? subject : _ ("Forwarded message"), ".eml", NULL);
  for (char *c = name; *c; c++)
    if ((guchar) *c < 0x20 || *c == 0x7f || *c == '/' || *c == '\\')
      *c = '_';

  camel_medium_set_content (CAMEL_MEDIUM (part), CAMEL_DATA_WRAPPER (message));
  camel_mime_part_set_content_type (part, "message/rfc822");
  camel_mime_part_set_disposition (part, "attachment");
  camel_mime_part_set_filename (part, name);
  return part;
}

/**
 * kontor_mail_reply_new_draft:
 * @message: the message answered or forwarded
 * @identities: (array length=n_identities) (nullable): the user's identities, the
 *   default first
 * @n_identities: the number of @identities
 * @mode: reply (to the sender, to all, to the list) or forward (inline, attached)
 *
 * Builds the draft that answers or forwards @message. The identity is the one that
 * sent @message, else the first one the message was sent to (To, then Cc, then the
 * Delivered-To and X-Original-To the server added), else the first.
 *
 * A reply goes to Reply-To, else From; to the original To when the user sent @message.
 * Replying to all adds the To and Cc as Cc without the user's own addresses; replying to
 * the list goes to its List-Post address, or where a reply goes with @no_list_found set.
 * The body is an attribution line and the quoted text without its signature.
 *
 * A forward has no recipients. Inline, its body is the original headers and text, and
 * it carries the original's attachments; attached, it carries @message itself as
 * message/rfc822 and has an empty body.
 *
 * This reads the whole message: call it from a worker thread for a large one.
 *
 * Returns: (transfer full): the draft
 */
KontorMailDraft *
kontor_mail_reply_new_draft (CamelMimeMessage *message,
                             const KontorMailIdentity *identities,
                             guint n_identities,
                             KontorMailReplyMode mode)
{
  g_autoptr (KontorMailContent) content = NULL;
  KontorMailDraft *draft;

  g_return_val_if_fail (CAMEL_IS_MIME_MESSAGE (message), NULL);
  g_return_val_if_fail (identities != NULL || n_identities == 0, NULL);
  g_return_val_if_fail (mode <= KONTOR_MAIL_REPLY_MODE_FORWARD_ATTACHMENT, NULL);

  content = kontor_mail_content_new (message);
  draft = kontor_mail_draft_new ();
  choose_identity (draft, message, identities, n_identities);
  g_free (draft->subject);
  draft->subject = kontor_mail_reply_dup_subject (content->subject, mode);
  g_free (draft->body);

  switch (mode)
    {
      case KONTOR_MAIL_REPLY_MODE_FORWARD_INLINE:
        draft->body = kontor_mail_reply_build_forward_body (content);
        add_forwarded_attachments (draft, content);
        break;

      case KONTOR_MAIL_REPLY_MODE_FORWARD_ATTACHMENT:
        draft->body = g_strdup ("");
        g_ptr_array_add (draft->attachments, wrap_message (message, content->subject));
        break;

      case KONTOR_MAIL_REPLY_MODE_REPLY:
      case KONTOR_MAIL_REPLY_MODE_REPLY_ALL:
      case KONTOR_MAIL_REPLY_MODE_REPLY_LIST:
      default:
        add_reply_recipients (draft, message, identities, n_identities, mode);
        set_threading (draft, message, content->message_id);
        {
          g_autofree char *name = dup_sender_name (message);

          draft->body = kontor_mail_reply_build_body (content, name);
        }
        break;
    }

  return draft;
}
