"""Reading a draft's sentences for what they mean (phrasekit/reading.py), as `phrasekit check`
shows it: whose number it is, whether a time is a promise, whether capitals are a name, what is
asked and where; and the families decided from that."""

import json
from pathlib import Path

import pytest
from click.testing import CliRunner

from helpers import read_yaml
from phrasekit.cli import cli


def families(text, channel=None, kind="reply", tmp_path=None):
    args = ["check", "--json", "--kind", kind, "-"]
    if channel:
        args[1:1] = ["--channel", channel]
    result = CliRunner().invoke(cli, args, input=text)
    assert result.exit_code in (0, 1), result.output
    return {finding["family"] for finding in json.loads(result.stdout or "[]")}


@pytest.mark.parametrize("text, channel, must, must_not", [
    # whose number or reference it is
    ("So sorry, Jo. Ring our 24/7 lost card line on 0800 555 0199 and they'll block it at once.", "social",
     set(), {"private-details"}),
    ("Thanks Jo, we've noted your mobile 07700 900123 on the booking.", "social", {"private-details"}, set()),
    ("Sorry for the wait at the gate, Ali: BA1441 is now boarding from gate 22.", "social", set(), {"private-details"}),
    # capitals: a name is not a raised voice
    ("Dropouts three nights running isn't what you pay ACMENET for, Sam. DM us and I'll book a line test.", "social",
     set(), {"shouting"}),
    ("WE DO NOT refund opened items.", "email", {"shouting"}, set()),
    # a time: a promise or a pleasantry
    ("Thank you for staying with us, Rui. See you again soon!", "social", set(), {"vague-time"}),
    ("If you want the alerts back in the future, switch them on in Settings.", "sms", set(), {"vague-time"}),
    ("We'll get back to you soon about the refund.", "email", {"vague-time"}, set()),
    ("The line should be working again shortly.", "sms", {"vague-time"}, set()),
    # moving channel: a DM to us is the right move in public, another queue is not
    ("That shouldn't have happened, Chris. Please DM us the phone number on your account and I'll sort it.",
     "social", set(), {"pass-the-buck", "asks-details-in-public", "private-details"}),
    ("Reply here with your order number and postcode and we'll send the right size.", "social",
     {"asks-details-in-public"}, {"private-details"}),  # one problem, one finding
    ("What's a good number to reach you on? We'll call this afternoon.", "social", {"asks-details-in-public"}, set()),
    ("What's a good number to reach you on? We'll call this afternoon.", "email", set(), {"asks-details-in-public"}),
    # non-apologies
    ("I'm sorry you feel that way about the new menu.", "chat", {"non-apology"}, set()),
    ("I'm sorry that you see the new pricing as unfair.", "email", {"non-apology"}, set()),
    ("Sorry you feel let down by your experience with us, Harriet.", "social", {"non-apology"}, set()),
    ("I understand this may have been frustrating for you, and we're sorry for that.", "chat", {"non-apology"}, set()),
    ("I'm sorry you feel let down: we got this wrong, and I've refunded the fee today.", "email", set(),
     {"non-apology"}),
    ("To block it, can you pop the long number from your card in the chat?", "chat", {"asks-secret"}, set()),
    ("We've sent a verification code to your phone. Just tell me what it says and I'll unlock it.", "chat",
     {"asks-secret"}, set()),
    ("I've sent a code to your phone. Please enter it on the screen in front of you; I'll never ask for it.", "chat",
     set(), {"asks-secret"}),
    ("Your PIN will follow by post; please never share it with anyone, including us.", "email", set(),
     {"asks-secret"}),
    ("Opened earbuds are NOT RETURNABLE for hygiene reasons.", "chat", {"shouting"}, set()),
    ("Mia, we are WORKING ON IT. Your order is with the rider.", "social", {"shouting"}, set()),
    ("Your XFINITY TV box will update overnight.", "social", set(), {"shouting"}),
    ("Hi Omar, your booking ABX92K has been moved to the 18:05 departure.", "social", {"private-details"}, set()),
    ("If you reply with your username and current password, I'll log in and check.", "email", {"asks-secret"}, set()),
    ("Sorry if you were upset by the delay.", "chat", {"non-apology"}, set()),
    ("We apologise for any inconvenience this may have caused.", "email", {"non-apology"}, set()),
    ("Apologies if the wait caused you any frustration.", "chat", {"non-apology"}, set()),
    ("I'm sorry you were disappointed with the upgrade.", "email", {"non-apology"}, set()),
    ("I'm sorry we let you down with the upgrade; I've refunded the difference.", "email", set(), {"non-apology"}),
    ("I'm sorry your parcel is late; I've asked the depot to put it on the first van.", "email", set(),
     {"non-apology"}),
    # secrets, on every channel
    ("Happy to help! DM us your card number and the CVV and we'll refund it.", "social", {"asks-secret"}, set()),
    ("I've just texted you a six-digit code. Could you read it back to me so I can verify you?", "chat",
     {"asks-secret"}, set()),
    ("I've texted you a 6-digit code, can you read it back to me here?", "chat", {"asks-secret"}, set()),
    ("Please never share your PIN or password with anyone; we will never ask you for them.", "email", set(),
     {"asks-secret"}),
    # policy as a wall, and with its reason
    ("Bags over the size go in the hold. Those are the rules.", "chat", {"policy-wall"}, set()),
    ("It's our policy to ask for ID at collection, because it keeps your parcel from the wrong hands.", "chat",
     set(), {"policy-wall"}),
    # ownership is not blame
    ("That's not the experience you should have had, and I'm sorry. I've asked the manager to call you at 4pm.",
     "social", set(), {"blame"}),
    # an error code, the company's lines, a warning not to post: no private detail shown
    ("That ERR-4021 message means the update didn't finish; a restart usually clears it. ^KB", "social", set(),
     {"private-details"}),
    ("Our lines (0345 600 1234) are open 8am to 8pm if you'd rather talk it through. ^PL", "social", set(),
     {"private-details"}),
    ("Eek! Please don't share your card details here. DM us and we'll take a look. ^FR", "social", set(),
     {"private-details"}),
    ("Hi Priya, we've sent the replacement card ending 4432 to your home address today. ^JS", "social",
     {"private-details"}, set()),
    # a rule in the customer's favour, acted on; a bare weekday is a time
    ("Our policy is to refund within 14 days, and you're well within that, so I've started it for you today.",
     "social", set(), {"policy-wall"}),
    ("I've chased the warehouse myself and it will be with you Saturday morning.", "chat", set(), {"vague-time"}),
    # sent away to another day in a gerund; a promise made as a request, with no time
    ("I'd recommend trying again later as the system is very busy today.", "chat", {"pass-the-buck"}, set()),
    ("Your query has been logged. Please allow the relevant department to contact you in due course.", "email",
     {"vague-time"}, set()),
    ("Please allow a few days for the refund to reach your card.", "email", set(), {"vague-time"}),
    # the writer checked; a number offered for more questions once the problem is solved
    ("I've just checked with the warehouse: your parcel was scanned at our depot at 11:20 and it's out for delivery "
     "tomorrow before 1pm.", "chat", set(), {"pass-the-buck"}),
    ("We've lifted the block so you can try again now. Questions? Call us on 0345 600 1234.", "sms", set(),
     {"pass-the-buck"}),
    ("The refund's with your bank now so you'll have to chase them.", "chat", {"pass-the-buck"}, set()),
    # the customer measured against everyone else, or told it comes with the territory
    ("tbh it works fine for everyone else so it might be at your end", "chat", {"condescension"}, set()),
    ("Delays happen sometimes, it's just part of flying.", "social", {"condescension"}, set()),
    ("It works for everyone on the 5.2 update, so I've pushed it to your phone now.", "chat", set(),
     {"condescension"}),
    ("We do not waive late fees under any circumstances.", "email", {"policy-wall"}, set()),
    ("Our terms say the deposit isn't refundable, but as the venue cancelled I've refunded it in full today.",
     "chat", set(), {"policy-wall"}),
    ("Our terms say the deposit isn't refundable.", "chat", {"policy-wall"}, set()),
    # a team's number, the shop's own address, a role's mailbox, a credit, a time: nobody's private details
    ("If you'd rather speak to someone tonight, they're on 0345 600 7171 until 10pm. ^KT", "social", set(),
     {"private-details"}),
    ("The shop's at 61 Deansgate, M3 2BW, next to the tram stop. See you there ^Rhi", "social", set(),
     {"private-details"}),
    ("Email a photo to claims@fernley.co.uk with your claim number in the subject line.", "social", set(),
     {"private-details"}),
    ("I've put £30 on your account for the missed day. ^Raj", "social", set(), {"private-details"}),
    ("We can do 8 at 5:30 or 7:00 on the terrace with heaters.", "social", set(), {"private-details"}),
    ("Dana, we've updated the number on your account to 07700 900123 as asked. ^MK", "social",
     {"private-details"}, set()),
    ("Thanks Ana, we'll send the refund to ana.k@example.com today. ^PL", "social", {"private-details"}, set()),
    ("If you smell gas, leave the building and call 0800 111 999 straight away. ^GS", "social", set(),
     {"private-details"}),
    ("We're based at 1 Canada Square, London E14 5AB, if you'd like to drop it in. ^MB", "social", set(),
     {"private-details"}),
    ("Our helpline 0300 123 4567 is open 8am-6pm Monday to Friday. ^BW", "social", set(), {"private-details"}),
    ("Hi Raj, we've sent the new router to 14 Elm Road, Bristol BS3 4QT. ^OK", "social", {"private-details"}, set()),
    # a reference named "fault", the rest done for them, a number offered for later: none is a problem
    ("For your records, your fault reference is FLT-300918.", "email", set(), {"blame"}),
    ("I've filled in the form and attached it; you just need to add your signature and send it back.", "email",
     set(), {"condescension"}),
    ("If the pain isn't easing, give us a ring on 01632 960447 and we'll see you the same day.", "email", set(),
     {"pass-the-buck"}),
    ("Please leave the flat now, don't use switches, and call the gas emergency line on 0800 131 9090, free, and "
     "they'll come out.", "social", set(), {"pass-the-buck"}),
    ("I can't help with fraud in chat, you'll have to ring our fraud team on 0345 600 1122.", "chat",
     {"pass-the-buck"}, set()),
    # a scam warning denies who sent a message, not a fault; an outage's reference and our line are public
    ("We'll never ask for your password by email or phone, so if anyone does, it isn't us.", "email", set(),
     {"blame"}),
    ("The delay wasn't us, it was the courier.", "chat", {"blame"}, set()),
    ("Incident ref MW-1182 ^DA", "social", set(), {"private-details"}),
    ("You can claim online or on our 24hr line 0808 157 0590.", "social", set(), {"private-details"}),
    ("I've written to the billing team confirming the failure was caused by us and asking them to waive the fee.",
     "email", set(), {"blame"}),
    # owned, or a condition; a counterfactual is still a reproach
    ("That's our mistake, not a change on your side, and you don't need to touch your settings.", "email", set(),
     {"blame"}),
    ("If you entered anything, change your password now and DM us so I can check your logins.", "social", set(),
     {"blame"}),
    ("If you checked your email you would have seen it.", "chat", {"blame"}, set()),
    # a number that calls the customer, a page's address, an issue, a version: nobody's details
    ("They call from 0800 046 2290, so you'll know it's us.", "social", set(), {"private-details"}),
    ("The full write-up is at status.quillstack.io/inc-20931 ^MC", "social", set(), {"private-details"}),
    ("I've reproduced the crash and linked your report to issue #4821.", "social", set(), {"private-details"}),
    ("Meanwhile 4.1.9 works fine: brew install kite@4.1.9 ^ZB", "social", set(), {"private-details"}),
    ("A fix is in review, and I'll post the release number here by Friday.", "social", set(), {"private-details"}),
    # easy to miss is the page's fault; another way offered; "not us" as the whole answer
    ("It did show on the confirm screen but it's really easy to miss when you're rushing out.", "chat", set(),
     {"condescension"}),
    ("It's really easy, just click the button.", "chat", {"condescension"}, set()),
    ("Put simply, the standing charge is a fixed daily fee for keeping you connected.", "chat", set(),
     {"condescension"}),
    ("You can also call us on 0808 157 0100.", "social", set(), {"pass-the-buck"}),
    ("If you're unsure about any contact, call us on 0808 157 0266.", "social", set(), {"pass-the-buck"}),
    ("Please call us on 0808 157 0100 to discuss this.", "social", {"pass-the-buck"}, set()),
    ("@kat_codes Not us, thanks for checking!", "social", set(), {"blame"}),
    # someone else's slip in the plain past, in any verb; the same slip told as ours, or owned after it
    ("Sorry Tanya! The new receptionist forgot to freeze your membership, so it's refunded now.", "social",
     {"blame"}, set()),
    ("So sorry, Jonah. Your bag was left behind in Dublin by the ground handling team there.", "social",
     {"blame"}, set()),
    ("Thanks for waiting. Finance ran the billing batch twice on the 1st; I've credited you today.", "email",
     {"blame"}, set()),
    ("Billing sat on your refund for a week. It's gone through now and shows in 3 days.", "chat", {"blame"}, set()),
    ("Hi Tom, sorry - the morning team didn't put your prescription through. It'll be ready by 3pm.", "sms",
     {"blame"}, set()),
    ("I'm sorry the engineer didn't turn up this morning, Jo. I've rebooked the visit for tomorrow 8am-12pm.",
     "chat", set(), {"blame"}),
    ("Sorry, our engineer didn't turn up. I've rebooked the visit for tomorrow 8am-12pm.", "chat", set(),
     {"blame"}),
    ("Found it. You typed Jon rather than Jonathan when you booked, so the name doesn't match.", "chat",
     {"blame"}, set()),
    ("The line is fine, so the problem is that you've put the router in the cupboard.", "chat", {"blame"}, set()),
    ("Have you tried a cable rather than wifi? DM us if it's still slow.", "social", set(), {"blame"}),
    ("Our mast is down for an upgrade, and the text warning you should have arrived last week.", "social", set(),
     {"blame", "condescension"}),
    ("No worries at all, it's easy to pick the old one from the list. I've changed it to 9 Ferris Road.", "chat",
     set(), {"condescension"}),
    ("You should have checked the confirmation email before travelling.", "email", {"condescension"}, set()),
    ("The outage was caused by third-party contractors who damaged our cable while digging.", "social",
     {"blame"}, set()),
    ("Thanks, Lewis. The £15 engineer charge shouldn't have been added, because the fault was on our line.",
     "chat", set(), {"blame"}),
    ("I've reset your account, and you should have just received a text with a code.", "email", set(),
     {"blame", "condescension"}),
    ("I'm sorry. During your switch, your direct debit was moved across a day late on our side, so the "
     "collection was returned.", "email", set(), {"blame"}),
    ("I've raised the line fault with Linkwire myself under ref FL-88213 and booked their engineer for Thursday.",
     "social", set(), {"private-details"}),
    ("A power cut has taken out 300 homes (ref INC-61230). Estimated fix 13:00.", "social", set(),
     {"private-details"}),
    ("If you'd rather have tickets for the new date, reply to your cancellation email and we'll swap them.",
     "social", set(), {"asks-details-in-public"}),
    # secrets asked for as reps put it; a warning or the customer's own update asks for none
    ("Please reply with your card details so I can refund you.", "chat", {"asks-secret"}, set()),
    ("Pop your login details in the chat and I'll take a look.", "chat", {"asks-secret"}, set()),
    ("What are the card's 16 digits and expiry date?", "chat", {"asks-secret"}, set()),
    ("We will never ask for your card details or login details by email.", "email", set(), {"asks-secret"}),
    ("You can update your card details in the app under Billing.", "chat", set(), {"asks-secret"}),
    # more of the new user's drafts
    ("Sorry that you think we handled this badly.", "email", {"non-apology"}, set()),
    ("We'll look into it and revert.", "chat", {"vague-time"}, set()),
    ("Honestly this is the first we've heard of it, nobody else has had this issue.", "email", {"condescension"},
     set()),
    ("I understand, but most customers are very happy with the new app.", "email", {"condescension"}, set()),
    ("Next time please double-check your address before you pay.", "email", {"condescension"}, set()),
    ("If it happens again, DM us and I'll trace it and come back to you the same day.", "social", set(),
     {"vague-time"}),
    ("Your order was cancelled by the restaurant. I've refunded it in full, back in 3 days.", "chat", set(),
     {"blame"}),
    ("Ah no, sorry Fergal. It looks like we delivered it to the wrong house. DM us and we'll send a new one "
     "tomorrow.", "social", set(), {"blame"}),
    ("Our night porter didn't pass your message on. We let you both down, and I've refunded your dinner today.",
     "email", set(), {"blame"}),
    ("Your fault was marked as fixed without a line test, which is on us. An engineer comes tomorrow 8-12.",
     "email", set(), {"blame"}),
    ("I've refunded the fee and shared your case with our airport team so they can check how it happened.",
     "email", set(), {"pass-the-buck"}),
    ("Send me a photo of the meter and I'll send you a corrected bill the same day.", "email", set(),
     {"vague-time"}),
    # talking down in fresh words: reminding, minimising, waving off, comparing; a hedge is not one
    ("Per my last email, your statements are under Documents.", "email", {"condescension"}, set()),
    ("You'll find it's all explained in section 4 of your booklet.", "email", {"condescension"}, set()),
    ("It's only a £5 fee so nothing to lose sleep over.", "sms", {"condescension"}, set()),
    ("Okay, let's all take a breath here. Your profiles are under Manage.", "chat", {"condescension"}, set()),
    ("The small print does say one code per order, but we'll honour it this time.", "social", {"condescension"},
     set()),
    ("I can't simply reverse the payment, but I've opened a chargeback today, ref CB-2209.", "email", set(),
     {"condescension"}),
    # sent elsewhere in other words
    ("You'd have better luck ringing the Croydon depot direct to rebook.", "sms", {"pass-the-buck"}, set()),
    ("Missing items are down to the restaurant, so it's best to give Spice Route a ring.", "chat",
     {"pass-the-buck"}, set()),
    ("Our forum is honestly the best place for this one, loads of folks there have cracked it.", "social",
     {"pass-the-buck"}, set()),
    ("If not, pop a DM our way and we'll give you a call this afternoon.", "social", set(), {"pass-the-buck"}),
    # hedged apologies
    ("To the extent that the delay caused you any difficulty, please accept our apologies.", "email",
     {"non-apology"}, set()),
    ("Apologies for any perceived noise from the function room last night.", "chat", {"non-apology"}, set()),
    # a promise with no time, however it is put; our number when it was asked for
    ("I've put in a request to seat you together. Expect an update soon!", "chat", {"vague-time"}, set()),
    ("We're tracing it now and will be in touch. Parcelo", "sms", {"vague-time"}, set()),
    ("Dave's running behind on an earlier job so he'll be with you a bit later.", "sms", {"vague-time"}, set()),
    ("You asked for a number you can call: our support line is +1 (415) 555-0143, open 6am to 6pm.", "email",
     set(), {"pass-the-buck"}),
])  # fmt: skip
def test_each_sentence_is_read_for_what_it_means(text, channel, must, must_not):
    found = families(text, channel)
    assert must <= found, found
    assert not (must_not & found), found


def test_a_repeated_sentence_is_one_finding_however_long():
    sentence = "I have asked the warehouse team to send a replacement parcel out to you today by courier. "
    result = CliRunner().invoke(cli, ["check", "--json", "--kind", "reply", "-"], input=sentence * 2)
    repeats = [f for f in json.loads(result.stdout) if f["family"] == "repetition"]
    assert len(repeats) == 1


def test_json_findings_carry_the_family_the_sentence_and_the_kind_assumed():
    text = "Hi Sam,\nWe apologize for any inconvenience. Please DM us your card number and CVV.\n"
    result = CliRunner().invoke(cli, ["check", "--json", "--channel", "social", "-"], input=text)
    assert result.exit_code == 1
    rows = json.loads(result.stdout)
    secret = next(row for row in rows if row["family"] == "asks-secret")
    assert secret["sentence"] == "Please DM us your card number and CVV."
    assert secret["kind"] == "reply" and secret["suggestion_id"]
    assert {"family", "sentence", "kind", "suggestion", "rule", "line", "column"} <= set(secret)
    text_output = CliRunner().invoke(cli, ["check", "--channel", "social", "-"], input=text)
    assert "read as a reply, guessed, social" in text_output.stderr


@pytest.mark.parametrize(
    "corpus",
    [
        "dev.yaml",
        "hard-families.yaml",
        "precision.yaml",
        "other-families.yaml",
        "real-style.yaml",
        "follow-ups.yaml",
        "walls.yaml",
        "buck-and-blame.yaml",
        "agents.yaml",
        "blame-and-condescension.yaml",
        "walls-and-buck.yaml",
        "subtle.yaml",
        "promises.yaml",
        "brand-replies.yaml",
        "fresh-wording.yaml",
        "long-emails.yaml",
        "chat-and-sms.yaml",
        "public-replies.yaml",
        "regulated.yaml",
        "travel-and-retail.yaml",
        "tech-support.yaml",
        "blame-forms.yaml",
        "walls-and-promises.yaml",
        "buck-and-talking-down.yaml",
        "care-accounts.yaml",
        "promises-buck-details.yaml",
        "blame-and-walls.yaml",
        "blame-reports.yaml",
        "buck-and-tone.yaml",
        "care-public.yaml",
        "back-office.yaml",
        "quick-drafts.yaml",
        "causes-told.yaml",
    ],
)
def test_on_the_dev_reply_corpora_false_alarms_stay_rare_and_most_problems_are_found(corpus):
    """A guard, not a goal: the corpora in tests/fixtures/replies/ (issue 14) as
    benchmarks/eval_replies.py reads them, with the kind of each draft given."""
    import sys

    sys.path.insert(0, str(Path(__file__).resolve().parent.parent / "benchmarks"))
    from eval_replies import CORPUS, evaluate

    replies = read_yaml(CORPUS.parent / corpus)["replies"]
    tp, fp, fn, alarms, caught, _ = evaluate(replies)
    precision = sum(tp.values()) / (sum(tp.values()) + sum(fp.values()))
    recall = sum(tp.values()) / (sum(tp.values()) + sum(fn.values()))
    good = sum(reply["verdict"] == "send" for reply in replies)
    floor, share = LOOSER.get(corpus, (0.9, 0.05))
    least = RECALL_FLOOR.get(corpus, 0.65)
    assert precision >= floor and recall >= least and alarms <= share * good, (precision, recall, alarms)


RECALL_FLOOR = {"causes-told.yaml": 0.6}
"""Causes-told is all blame, told in as many shapes as its writer could find: the family the
checker finds least of (0.62 when it was added, trained on). A guard that it gets no worse."""


LOOSER = {
    "brand-replies.yaml": (0.85, 0.05),
    "long-emails.yaml": (0.85, 0.05),
    "public-replies.yaml": (0.85, 0.05),
    "regulated.yaml": (0.8, 0.12),
    "travel-and-retail.yaml": (0.8, 0.06),
    "tech-support.yaml": (0.8, 0.12),
    "buck-and-talking-down.yaml": (0.85, 0.05),
    "precision.yaml": (0.85, 0.05),
}
"""The precision and the share of good replies with a finding these corpora are held to. The
writers of brand-replies, long-emails, public-replies and buck-and-talking-down name a second
problem less often (a reply that blames a partner for what is "out of our hands" is labelled
blame, not also passing the buck), so a right finding of a family they left out counts as a
false one. Regulated, travel-and-retail and tech-support are held to what the checker did when
they were added (10, 5 and 10 good replies of 100 flagged): a guard that it gets no worse, while
the classes behind those findings are still open (issue 14). Precision and blame-reports
disagree on a customer's slip told kindly and put right at once ("the house number on the order
was 112 rather than 12, so the courier couldn't find it"): blame-reports sends it back as blame,
precision sends it; trained on both, the learned reading sides with the larger."""


def test_a_suggestion_comes_from_the_case_the_rep_names_or_the_practices_own_words():
    draft = "We apologise for any inconvenience caused.\n"
    about = CliRunner().invoke(
        cli, ["check", "--json", "--about", "charged twice for the same order", "-"], input=draft
    )
    [finding] = json.loads(about.stdout)
    assert finding["family"] == "non-apology" and finding["suggestion_id"].startswith("builtin/double-charge-")
    alone = CliRunner().invoke(cli, ["check", "--json", "-"], input=draft)
    [finding] = json.loads(alone.stdout)
    assert not finding["suggestion_id"].startswith("builtin/double-charge-")  # a general apology, not a guess


def test_without_about_a_draft_about_a_family_still_gets_the_practices_own_words():
    draft = "We apologise for any inconvenience the double charge on your card has caused.\n"
    [finding] = json.loads(CliRunner().invoke(cli, ["check", "--json", "-"], input=draft).stdout)
    from phrasekit import show_phrase

    assert finding["family"] == "non-apology" and finding["suggestion_id"]
    assert show_phrase(finding["suggestion_id"]).family is None  # not guessed from the draft's words


def test_check_semantic_without_the_extra_says_why_and_exits_2():
    result = CliRunner().invoke(cli, ["check", "--semantic", "-"], input="We'll get back to you soon.\n")
    assert result.exit_code == 2 and "check cannot read by meaning here" in result.output
